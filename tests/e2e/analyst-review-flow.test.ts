import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/axe.ts';
import { launchChromium } from '../support/browser.ts';
import { laplacianVariance } from '../support/laplacian.ts';
import { type LoopbackServer, startLoopbackServer } from '../support/loopback-server.ts';
import { type RunningServer, startRealServer } from '../support/server.ts';
import { syntheticImage } from '../support/synthetic-images.ts';
import {
  addAccountWithCli,
  type CliAccount,
  callApi,
  cspViolations,
  hasFocus,
  keepScreenshot,
  totpNow,
  viewports,
} from './analyst-support.ts';

// Issue 10's proof, against the real server (src/main.ts) and a loopback site of synthetic pictures:
// reports through the public form, triage, the queue, a keyboard-only claim and assessment with the
// safe view, four eyes, the own bank, and a re-encoded copy recognised as known.

const { desktop, phone } = viewports;
const size = { width: 320, height: 240 };
/** Seeds whose pictures keep a PDQ quality of at least 80 and the same hash when re-encoded as JPEG. */
const seedOf: Record<string, number> = { '/a.png': 11, '/b.png': 25 };
const pageImages: Record<string, string> = { '/gallery': '/a.png', '/other': '/b.png', '/copy': '/copy.jpg' };

interface Counts {
  new: number;
  to_confirm: number;
  known: number;
}

describe('issue 10 end to end: the analyst workspace against the review API', () => {
  let site: LoopbackServer;
  let server: RunningServer;
  let browser: Browser;
  let admin: CliAccount;
  const pictures = new Map<string, Buffer>();
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    for (const [path, seed] of Object.entries(seedOf)) pictures.set(path, await syntheticImage(seed, size));
    site = await startLoopbackServer((req, res) => {
      const path = req.url ?? '';
      const image = pageImages[path];
      if (image) {
        res.writeHead(200, { 'Content-Type': 'text/html' });
        return void res.end(`<!doctype html><title>gallery</title><img src="${image}" alt="">`);
      }
      const picture = pictures.get(path);
      if (!picture) return void res.writeHead(404).end();
      res.writeHead(200, { 'Content-Type': path.endsWith('.jpg') ? 'image/jpeg' : 'image/png' }).end(picture);
    });
    server = await startRealServer({
      NODE_ENV: 'test',
      HOTLINE_FETCH: 'on',
      HOTLINE_FETCH_ALLOW: site.pair,
      HOTLINE_TRIAGE_DELAY: 'off',
      HOTLINE_REPORT_LIMIT: '1000',
    });
    browser = await launchChromium();
    admin = addAccountWithCli(join(server.dataDir, 'hotline.db'), 'root', 'admin');
  }, 120_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.stop();
    await site?.close();
  });

  async function newPage(javaScriptEnabled = true): Promise<Page> {
    const context = await browser.newContext({ viewport: desktop, locale: 'en-GB', javaScriptEnabled });
    contexts.push(context);
    return context.newPage();
  }

  /** axe finds nothing serious on the screen at both sizes; a screenshot of each is kept. */
  async function checkScreen(page: Page, screen: string) {
    for (const viewport of [phone, desktop]) {
      await page.setViewportSize(viewport);
      expect(await seriousViolations(page), `${screen} at ${viewport.width}px`).toEqual([]);
      await keepScreenshot(page, `flow-${screen}`);
    }
  }

  /** Signs in with the keyboard alone: Tab to each field, type, Enter. */
  async function signIn(page: Page, username: string, password: string, secret: string) {
    await page.goto(`${server.baseUrl}/analyst/`);
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    await tabTo(page, page.getByLabel('Username'));
    await page.keyboard.type(username);
    await tabTo(page, page.getByLabel('Password'));
    await page.keyboard.type(password);
    await tabTo(page, page.getByLabel('Code from your authenticator app'));
    await page.keyboard.type(totpNow(secret));
    await page.keyboard.press('Enter');
  }

  const counts = async (page: Page) => (await callApi(page, 'GET', '/queue')).body.queues as Counts;
  const shownCount = (page: Page, queue: string) =>
    page.locator('.counts > div').filter({ has: page.getByRole('term').getByText(queue, { exact: true }) });

  async function report(path: string) {
    const page = await newPage(false);
    await page.goto(`${server.baseUrl}/?lang=en`);
    await page.getByLabel('Web addresses').fill(`${site.origin}${path}`);
    await page.getByRole('button', { name: 'Send the report' }).click();
    await page.waitForSelector('#receipt');
    await page.context().close();
  }

  /** The admin makes an analyst on the Users screen; the analyst signs in and chooses a password. */
  async function makeAnalyst(adminPage: Page, username: string): Promise<Page> {
    const temporary = 'a sturdy temporary passphrase 42';
    await adminPage.getByLabel('Username', { exact: true }).fill(username);
    await adminPage.getByLabel('Role', { exact: true }).selectOption('analyst');
    await adminPage.getByLabel('Temporary password', { exact: true }).fill(temporary);
    await adminPage.getByRole('button', { name: 'Create', exact: true }).click();
    const created = adminPage.getByRole('status').filter({ hasText: `Account ${username} created` });
    await created.waitFor();
    const secret = /in person: ([A-Z2-7]{16,})/.exec((await created.textContent()) ?? '')?.[1] ?? '';

    const page = await newPage();
    const csp = cspViolations(page);
    await signIn(page, username, temporary, secret);
    await page.getByRole('heading', { name: 'Choose your own password', level: 1 }).waitFor();
    if (username === 'analyst.a') await checkScreen(page, 'change-password');
    // Until it is changed, the session reaches nothing else.
    expect((await callApi(page, 'GET', '/queue')).status).toBe(403);
    // By keyboard too.
    await tabTo(page, page.getByLabel('Current password'));
    await page.keyboard.type(temporary);
    await tabTo(page, page.getByLabel('New password', { exact: true }));
    await page.keyboard.type('my own long passphrase of seven words');
    await tabTo(page, page.getByLabel('New password again'));
    await page.keyboard.type('my own long passphrase of seven words');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Queue', level: 1 }).waitFor();
    expect(csp).toEqual([]);
    return page;
  }

  /** Presses Tab until `target` holds the focus (keyboard only: the test never clicks). */
  async function tabTo(page: Page, target: ReturnType<Page['locator']>) {
    for (let i = 0; i < 80 && !(await hasFocus(target)); i++) await page.keyboard.press('Tab');
    expect(await hasFocus(target)).toBe(true);
  }

  it('reports, triage, queue, keyboard-only claim and assessment with the safe view, four eyes, own bank, known copy, audit', async () => {
    // An admin made by the CLI signs in with TOTP and makes two analysts.
    const adminPage = await newPage();
    await signIn(adminPage, admin.username, admin.password, admin.totpSecret);
    await adminPage.getByRole('heading', { name: 'Queue', level: 1 }).waitFor();
    await adminPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
    await adminPage.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    const a = await makeAnalyst(adminPage, 'analyst.a');
    const b = await makeAnalyst(adminPage, 'analyst.b');
    await checkScreen(adminPage, 'users');

    // Three public reports, two of the same page, triaged from the loopback site: two items.
    await report('/gallery');
    await report('/gallery');
    await report('/other');
    await expect.poll(() => counts(a), { timeout: 60_000, interval: 500 }).toMatchObject({ new: 2 });
    await a.reload();
    const home = a.getByRole('heading', { name: 'Queue', level: 1 });
    await home.waitFor();
    expect(await shownCount(a, 'New').locator('dd').textContent()).toBe('2');
    await checkScreen(a, 'home');

    // Analyst A, keyboard only: Next, the blurred view, a lower blur, the form, Submit & next.
    expect(await hasFocus(home)).toBe(true);
    await a.keyboard.press('n');
    const title = a.getByRole('heading', { name: /^Item \d+$/, level: 1 });
    await title.waitFor();
    const itemId = Number(((await title.textContent()) ?? '').replace('Item ', ''));
    const itemUrl = (await a.locator('p.url').first().textContent()) ?? '';
    const picturePath = pageImages[new URL(itemUrl).pathname] ?? '';
    const original = await laplacianVariance(pictures.get(picturePath) as Buffer);

    // What the browser receives for each view (the app fetches it and shows it from an object URL,
    // whose body the protocol does not keep): passed through a route that records it.
    const received = new Map<number, { body: Buffer; headers: Record<string, string> }>();
    await a.route(/\/media\/0\/view\?/, async (route) => {
      const response = await route.fetch();
      const body = await response.body();
      received.set(Number(new URL(route.request().url()).searchParams.get('blur')), {
        body,
        headers: response.headers(),
      });
      await route.fulfill({ response, body });
    });
    const strongest = a.waitForResponse((r) => r.url().includes(`/items/${itemId}/media/0/view?blur=5`));
    await a.keyboard.press('b');
    await strongest;
    await a.getByRole('img', { name: /Medium 0, blurred level 5/ }).waitFor();
    const view = received.get(5);
    expect(view?.headers['cache-control']).toBe('no-store');
    expect(await laplacianVariance(view?.body as Buffer)).toBeLessThan(original / 20);
    const lower = a.waitForResponse((r) => r.url().includes(`/items/${itemId}/media/0/view?blur=4`));
    await a.keyboard.press('b');
    expect((await lower).status()).toBe(200);
    await a.getByRole('img', { name: /Medium 0, blurred level 4/ }).waitFor();
    await checkScreen(a, 'item');

    // Every taxonomy field by keyboard: the first word of each list (an illegal, complete assessment).
    const selects = a.locator('form.decision select');
    await tabTo(a, selects.first());
    for (let field = 0; field < 7; field++) {
      expect(await hasFocus(selects.nth(field))).toBe(true);
      await a.keyboard.press('ArrowDown');
      await a.keyboard.press('Tab');
    }
    await a.keyboard.type('clear case');
    const submit = a.getByRole('button', { name: 'Submit & next' });
    await tabTo(a, submit);
    await a.keyboard.press('Enter');
    // Submit & next claims the other item at once.
    await a
      .getByRole('heading', { name: /^Item \d+$/, level: 1 })
      .filter({ hasNotText: `Item ${itemId}` })
      .waitFor();
    expect(await counts(a)).toMatchObject({ new: 1, to_confirm: 1 });

    // A cannot confirm their own: the screen offers no Confirm, and the server refuses it.
    await a.keyboard.press('c');
    await a.getByRole('heading', { name: 'To confirm', level: 1 }).waitFor();
    await a.getByRole('link', { name: `Item ${itemId}` }).waitFor();
    await checkScreen(a, 'to-confirm');
    await a.getByRole('link', { name: `Item ${itemId}` }).click();
    await a.getByText(/^Waiting for confirmation by analyst\.a on/).waitFor();
    expect(await a.getByRole('button', { name: 'Confirm' }).count()).toBe(0);
    // An item waiting for confirmation takes no second assessment: the form is not offered.
    expect(await a.getByRole('button', { name: 'Submit & next' }).count()).toBe(0);
    const detail = (await callApi(a, 'GET', `/items/${itemId}`)).body.item;
    const assessmentId = detail.assessments[0].id as number;
    const own = await callApi(a, 'POST', `/assessments/${assessmentId}/confirm`, {});
    expect([own.status, own.body.error]).toEqual([403, 'self_confirmation']);

    // The admin lets analysts confirm; B confirms. The own bank now holds the medium's signals.
    const ownBank = async () =>
      ((await callApi(adminPage, 'GET', '/banks')).body.banks as { name: string; entries: number }[]).find(
        (bank) => bank.name === 'hotline',
      )?.entries ?? 0;
    expect(await ownBank()).toBe(0);
    expect((await callApi(adminPage, 'PATCH', '/settings', { analystsMayConfirm: true })).status).toBe(200);
    // B, keyboard only: To confirm (c), the item, a comment, Confirm.
    await b.getByRole('heading', { name: 'Queue', level: 1 }).waitFor();
    await b.keyboard.press('c');
    await b.getByRole('heading', { name: 'To confirm', level: 1 }).waitFor();
    await tabTo(b, b.getByRole('link', { name: `Item ${itemId}` }));
    await b.keyboard.press('Enter');
    await b.getByRole('heading', { name: `Item ${itemId}`, level: 1 }).waitFor();
    await tabTo(b, b.getByLabel('Comment on this assessment'));
    await b.keyboard.type('agreed');
    await checkScreen(b, 'confirm');
    await tabTo(b, b.getByRole('button', { name: 'Confirm', exact: true }));
    await b.keyboard.press('Enter');
    await b.getByText(/^Confirmed by analyst\.a on/).waitFor();

    // The own bank holds exactly the medium's signals, labelled with the assessment and the confirmer.
    const medium = detail.media[0] as Record<string, string | null>;
    const signals = ['sha256', 'sha1', 'md5', 'pdq', 'blockhash'].flatMap((type) =>
      medium[type] ? [`${type}:${medium[type]}`] : [],
    );
    const direct = new Database(join(server.dataDir, 'hotline.db'), { readonly: true });
    const banked = direct
      .prepare(
        `select e.signal_type as type, e.value, e.label, e.source_ref as ref from bank_entries e
         join banks b on b.id = e.bank_id where b.name = 'hotline' order by e.id`,
      )
      .all() as { type: string; value: string; label: string; ref: string }[];
    direct.close();
    expect(banked.map((e) => `${e.type}:${e.value}`).sort()).toEqual(signals.sort());
    expect(new Set(banked.map((e) => e.label))).toEqual(
      new Set([`${detail.assessments[0].outcome}/${detail.assessments[0].content}`]),
    );
    for (const entry of banked) expect(entry.ref).toMatch(new RegExp(`^assessment:${assessmentId}\\b`));
    expect(await ownBank()).toBe(signals.length);

    // A re-encoded copy of the assessed picture is recognised: known, never in the new queue.
    pictures.set(
      '/copy.jpg',
      await syntheticImage(seedOf[picturePath] as number, { ...size, format: 'jpeg', quality: 90 }),
    );
    const urlsIn = async (state: string) =>
      ((await callApi(a, 'GET', `/items?state=${state}`)).body.items as { url: string }[]).map((i) => i.url);
    // The `new` queue is read at every step while the copy is triaged: it never holds the copy.
    const seenInNew = new Set<string>();
    const watchNew = async () => {
      for (const url of await urlsIn('new')) seenInNew.add(url);
      return counts(a);
    };
    await report('/copy');
    await expect.poll(watchNew, { timeout: 60_000, interval: 200 }).toMatchObject({ new: 1, known: 1 });
    expect(await urlsIn('known')).toEqual([`${site.origin}/copy`]);
    expect(seenInNew.has(`${site.origin}/copy`)).toBe(false);
    expect(seenInNew.size).toBe(1);

    // Supervisors and admins see each analyst's viewing time today.
    await adminPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).click();
    const team = adminPage.getByRole('region', { name: 'Exposure of the team today' });
    await team.getByText(/^analyst\.a: \d+ of 120 minutes$/).waitFor();
    await checkScreen(adminPage, 'home-supervisor');

    // The known copy, keyboard only: the Known screen, tick it, confirm; no view of it anywhere.
    const copy = (await callApi(adminPage, 'GET', '/items?state=known')).body.items[0].id as number;
    await tabTo(adminPage, adminPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Known' }));
    await adminPage.keyboard.press('Enter');
    await adminPage.getByRole('heading', { name: 'Known items', level: 1 }).waitFor();
    await checkScreen(adminPage, 'known');
    await tabTo(adminPage, adminPage.getByLabel(`Tick item ${copy}`));
    await adminPage.keyboard.press('Space');
    await tabTo(adminPage, adminPage.getByRole('button', { name: 'Confirm the ticked items (1)' }));
    await adminPage.keyboard.press('Enter');
    await adminPage.getByRole('status').getByText('Confirmed: 1.').waitFor();
    const copyTrail = (await callApi(adminPage, 'GET', `/audit?object=item:${copy}`)).body.events as {
      action: string;
      details: Record<string, unknown>;
    }[];
    // Its own history: triaged as known, confirmed from the own bank; never claimed, viewed or assessed by hand.
    expect(copyTrail.map((e) => e.action)).toContain('assessment.confirm');
    expect(copyTrail.find((e) => e.action === 'assessment.confirm')?.details).toMatchObject({ source: 'known' });
    for (const never of ['item.claim', 'media.view', 'assessment.create']) {
      expect(copyTrail.map((e) => e.action)).not.toContain(never);
    }

    // The audit trail of the item holds every step, in order, by whom.
    const users = (await callApi(adminPage, 'GET', '/users')).body.users as { id: number; username: string }[];
    const idOf = (name: string) => `user:${users.find((u) => u.username === name)?.id}`;
    const steps = (
      (await callApi(adminPage, 'GET', `/audit?object=item:${itemId}`)).body.events as {
        action: string;
        actor: string;
        details: Record<string, unknown>;
      }[]
    ).reverse();
    const step = (action: string) => steps.filter((e) => e.action === action);
    expect(step('item.claim').map((e) => e.actor)).toEqual([idOf('analyst.a')]);
    expect(step('media.view').map((e) => [e.actor, e.details.blur])).toEqual([
      [idOf('analyst.a'), 5],
      [idOf('analyst.a'), 4],
    ]);
    expect(step('assessment.create').map((e) => e.actor)).toEqual([idOf('analyst.a')]);
    expect(step('assessment.confirm').map((e) => [e.actor, e.details.banked])).toEqual([
      [idOf('analyst.b'), signals.length],
    ]);
    expect(step('forward.create').length).toBeGreaterThan(0);
    const order = ['item.claim', 'media.view', 'assessment.create', 'assessment.confirm'].map((action) =>
      steps.findIndex((e) => e.action === action),
    );
    expect(order).toEqual([...order].sort((x, y) => x - y));

    // The audit trail of the item shows every step, on its screen.
    await adminPage.goto(`${server.baseUrl}/analyst/#/items/${itemId}`);
    const history = adminPage.getByRole('region', { name: 'History' });
    await history.getByText('assessment.confirm').waitFor();
    const trail = (await history.textContent()) ?? '';
    for (const action of ['item.claim', 'media.view', 'assessment.create', 'assessment.confirm']) {
      expect(trail).toContain(action);
    }
    await checkScreen(adminPage, 'item-history');
  }, 240_000);
});
