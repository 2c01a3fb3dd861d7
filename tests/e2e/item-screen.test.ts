import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { illegalBaseline } from '../support/assessments.ts';
import { seriousViolations } from '../support/axe.ts';
import { launchChromium } from '../support/browser.ts';
import { type LoopbackServer, startLoopbackServer } from '../support/loopback-server.ts';
import { type RunningServer, startRealServer } from '../support/server.ts';
import { syntheticImage } from '../support/synthetic-images.ts';
import {
  addAccountWithCli,
  type CliAccount,
  callApi,
  cspViolations,
  keepScreenshot,
  reportThroughApi,
  signIn,
  viewports,
} from './analyst-support.ts';

// The item screen in the browser, against the real server and a loopback site of synthetic
// pictures: the claim lock and its release when the tab goes away, the safe view fetched with its
// heartbeats and refusals, the evidence (skipped media, TLS, duplicates, a rotated copy's match and
// its source, video), the decision form's rules, the contact on request, forwards, known items.

const { desktop, phone } = viewports;
const size = { width: 320, height: 240 };
const viewer = 'https://viewer.internal/?sha256={sha256}&item={item}';
const illegal = { ...illegalBaseline, depiction: 'sexual_act' };
/** A few bytes an ISO media sniffer reads as MP4: triage hashes videos by their exact hashes only. */
const clip = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), Buffer.alloc(4000, 7)]);

const pages: Record<string, string> = {
  '/gallery': '<img src="/a.png" alt=""><img src="/missing.png" alt="">',
  '/mirror': '<img src="/a.png" alt="">',
  '/video': '<img src="/b.png" alt=""><video src="/clip.mp4"></video>',
  '/changing': '<img src="/c.png" alt="">',
  '/vanishing': '<img src="/v.png" alt="">',
  '/rotated': '<img src="/rot.png" alt="">',
  '/copy': '<img src="/a.png" alt="">',
};

describe('the item screen in the browser', () => {
  let site: LoopbackServer;
  let server: RunningServer;
  let browser: Browser;
  let accounts: Record<'a' | 'b' | 'sue', CliAccount>;
  const files = new Map<string, Buffer>();
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    files.set('/a.png', await syntheticImage(11, size));
    files.set('/rot.png', await sharp(files.get('/a.png')).rotate(90).png().toBuffer());
    files.set('/b.png', await syntheticImage(25, size));
    files.set('/c.png', await syntheticImage(31, size));
    files.set('/v.png', await syntheticImage(37, size));
    files.set('/clip.mp4', clip);
    site = await startLoopbackServer((req, res) => {
      const path = req.url ?? '';
      const page = pages[path];
      if (page) return void res.writeHead(200, { 'Content-Type': 'text/html' }).end(`<!doctype html>${page}`);
      const file = files.get(path);
      if (!file) return void res.writeHead(404).end();
      res.writeHead(200, { 'Content-Type': path.endsWith('.mp4') ? 'video/mp4' : 'image/png' }).end(file);
    });
    server = await startRealServer({
      NODE_ENV: 'test',
      HOTLINE_FETCH: 'on',
      HOTLINE_FETCH_ALLOW: site.pair,
      HOTLINE_TRIAGE_DELAY: 'off',
      HOTLINE_REPORT_LIMIT: '1000',
      HOTLINE_VIDEO_VIEWER_URL_TEMPLATE: viewer,
    });
    browser = await launchChromium();
    const db = join(server.dataDir, 'hotline.db');
    accounts = {
      a: addAccountWithCli(db, 'analyst.a', 'analyst'),
      b: addAccountWithCli(db, 'analyst.b', 'analyst'),
      sue: addAccountWithCli(db, 'sue', 'supervisor'),
    };
  }, 120_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.stop();
    await site?.close();
  });

  async function signedIn(who: keyof typeof accounts, options: { fakeClock?: boolean } = {}): Promise<Page> {
    const context = await browser.newContext({ viewport: desktop, locale: 'en-GB' });
    contexts.push(context);
    const page = await context.newPage();
    if (options.fakeClock) await page.clock.install();
    await signIn(page, server.baseUrl, accounts[who]);
    return page;
  }

  const report = (path: string, contact?: string) =>
    reportThroughApi(server.baseUrl, { urls: [`${site.origin}${path}`], ...(contact ? { contact } : {}) });
  const queues = async (page: Page) => (await callApi(page, 'GET', '/queue')).body.queues as Record<string, number>;
  const itemOf = async (page: Page, path: string): Promise<number> => {
    const items = (await callApi(page, 'GET', '/items')).body.items as { id: number; url: string }[];
    return items.find((i) => i.url === `${site.origin}${path}`)?.id ?? 0;
  };
  const openItem = async (page: Page, id: number) => {
    await page.goto(`${server.baseUrl}/analyst/#/items/${id}`);
    await page.getByRole('heading', { name: `Item ${id}`, level: 1 }).waitFor();
  };
  async function checkScreen(page: Page, screen: string) {
    for (const viewport of [phone, desktop]) {
      await page.setViewportSize(viewport);
      expect(await seriousViolations(page), `${screen} at ${viewport.width}px`).toEqual([]);
      await keepScreenshot(page, `item-${screen}`);
    }
  }
  const auditOf = async (page: Page, object: string) =>
    (await callApi(page, 'GET', `/audit?object=${object}`)).body.events as {
      action: string;
      actor: string;
      details: Record<string, unknown>;
    }[];

  it('claim lock, safe view with heartbeats, release on leaving, evidence, decision rules, contact, forwards, known', async () => {
    const sue = await signedIn('sue');
    const b = await signedIn('b');
    const a = await signedIn('a', { fakeClock: true });
    const csp = cspViolations(a);

    // One item waits; A takes it with Next.
    await report('/gallery', 'reporter@example.test');
    await expect.poll(() => queues(a), { timeout: 60_000, interval: 500 }).toMatchObject({ new: 1 });
    await a.getByRole('button', { name: 'Next' }).click();
    const gallery = await itemOf(a, '/gallery');
    await a.getByRole('heading', { name: `Item ${gallery}`, level: 1 }).waitFor();
    await a.getByText(/^Claimed by analyst\.a until /).waitFor();

    // B sees the lock in the list and on the item, with the form disabled and saying why.
    await b.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Items' }).click();
    await b
      .getByRole('row', { name: new RegExp(`Item ${gallery}`) })
      .getByText(/Claimed by analyst\.a until/)
      .waitFor();
    await openItem(b, gallery);
    await b
      .getByText(/^Claimed by analyst\.a until .*: the decision waits for them\.$/)
      .first()
      .waitFor();
    for (const name of ['Submit & next', 'Not illegal', 'Gone', 'Skip']) {
      expect(await b.getByRole('button', { name, exact: true }).isDisabled(), name).toBe(true);
    }
    // Every role reads the item's own history from the item itself.
    await b.getByRole('region', { name: 'History' }).getByText('item.claim').waitFor();

    // A's safe view: fetched, shown from an object URL; below the threshold, heartbeats while shown.
    await a.getByRole('button', { name: 'Show the blurred view' }).click();
    const counted = a.waitForResponse((r) => r.url().includes('/media/0/view?blur=2'));
    for (const blur of [5, 4, 3]) {
      await a.getByRole('img', { name: new RegExp(`blurred level ${blur}`) }).waitFor();
      await a.getByRole('button', { name: 'Lower the blur one step' }).click();
    }
    const viewId = (await counted).headers()['x-view-id'];
    expect(viewId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const picture = a.getByRole('img', { name: /blurred level 2/ });
    expect(await picture.getAttribute('src')).toMatch(/^blob:/);
    const beat = a.waitForResponse((r) => r.url().endsWith(`/views/${viewId}/heartbeat`));
    await a.clock.runFor(21_000);
    expect((await beat).status()).toBe(200);
    expect((await (await beat).json()).exposure.usedMs).toBeGreaterThan(0);
    // The day's budget runs out mid-view: the heartbeat says so and the picture goes.
    await a.route('**/heartbeat', (route) =>
      route.fulfill({ status: 403, contentType: 'application/json', body: '{"error":"exposure_exhausted"}' }),
    );
    await a.clock.runFor(21_000);
    await a
      .getByRole('alert')
      .getByText(/viewing time for today is used up: the picture is hidden/)
      .waitFor();
    expect(await a.getByRole('img', { name: /blurred level/ }).count()).toBe(0);
    expect(csp).toEqual([]);

    // A closes the tab: the claim ends at once (pagehide, keepalive request with the CSRF header).
    await a.close({ runBeforeUnload: true });
    await expect
      .poll(async () => (await callApi(b, 'GET', `/items/${gallery}`)).body.item.review.claim, { timeout: 20_000 })
      .toBeNull();
    const trail = await auditOf(sue, `item:${gallery}`);
    expect(trail.map((e) => e.action)).toEqual(expect.arrayContaining(['item.claim', 'media.view', 'item.release']));

    // The rest of the site is reported; each kind of evidence shows on its item.
    for (const path of ['/mirror', '/video', '/changing', '/vanishing']) await report(path);
    await expect.poll(() => queues(b), { timeout: 60_000, interval: 500 }).toMatchObject({ new: 5 });
    const mirror = await itemOf(b, '/mirror');
    const video = await itemOf(b, '/video');
    const changing = await itemOf(b, '/changing');
    const vanishing = await itemOf(b, '/vanishing');

    // Skipped media with its reason, in words; the contact only on request, audited.
    await openItem(sue, gallery);
    await sue.getByText(/missing\.png Not hashed: the site answered with an error/).waitFor();
    await sue.getByText('Fetch failed: some media of the page could not be fetched').waitFor();
    expect(await sue.getByText('reporter@example.test').count()).toBe(0);
    await sue.getByRole('button', { name: 'Show contact (audited)' }).click();
    await sue.getByText('Contact: reporter@example.test').waitFor();
    expect((await auditOf(sue, `item:${gallery}`)).map((e) => e.action)).toContain('report.contact_view');

    // The mirror's medium duplicates the gallery's, linked; a certificate that did not verify.
    const direct = new Database(join(server.dataDir, 'hotline.db'));
    direct.prepare('update item_media set tls_invalid = 1 where item_id = ?').run(mirror);
    direct.close();
    await openItem(b, mirror);
    await b
      .getByText('Also in earlier items:')
      .getByRole('link', { name: `Item ${gallery}` })
      .waitFor();
    await b.getByText('The site’s TLS certificate was not valid.').waitFor();
    // Submit waits for the legal status and says so; Not illegal, Gone and Skip never wait.
    const submit = b.getByRole('button', { name: 'Submit & next' });
    expect(await submit.isDisabled()).toBe(true);
    expect(await submit.getAttribute('aria-describedby')).toBe('submit-reason');
    await b.getByText('Submit is disabled: choose Legal status.').waitFor();
    for (const name of ['Not illegal', 'Gone', 'Skip']) {
      expect(await b.getByRole('button', { name, exact: true }).isEnabled(), name).toBe(true);
    }
    await b.getByLabel('Legal status').selectOption('baseline');
    await b.getByText(/^Submit is disabled: choose Content, Media type/).waitFor();
    expect(await b.getByRole('button', { name: 'Not illegal', exact: true }).isEnabled()).toBe(true);

    // The content changed since triage; the content is gone, and the Gone outcome is offered.
    files.set('/c.png', await syntheticImage(32, size));
    await openItem(b, changing);
    await b.getByRole('button', { name: 'Show the blurred view' }).click();
    await b
      .getByRole('alert')
      .getByText(/The content changed since triage/)
      .waitFor();
    files.delete('/v.png');
    await openItem(b, vanishing);
    await b.getByRole('button', { name: 'Show the blurred view' }).click();
    await b.getByRole('alert').getByText('The content is gone: the site no longer serves it.').waitFor();
    await b.getByRole('button', { name: 'Record the outcome Gone' }).click();
    await expect
      .poll(async () => (await callApi(b, 'GET', `/items/${vanishing}`)).body.item.assessments[0]?.outcome)
      .toBe('gone');

    // A video: its exact hashes and the isolated viewer's link, never a view. Disputed, then axe.
    const first = await callApi(b, 'POST', `/items/${video}/assessments`, { legalStatus: 'not_illegal' });
    expect(first.status).toBe(201);
    const disputed = await callApi(sue, 'POST', `/assessments/${first.body.assessment.id}/dispute`, {
      comment: 'look again',
    });
    expect(disputed.status).toBe(200);
    await openItem(sue, video);
    await sue.getByText('Videos are never shown here. Exact hashes:').waitFor();
    const link = sue.getByRole('link', { name: 'Open in the isolated viewer' });
    expect(await link.getAttribute('href')).toMatch(/^https:\/\/viewer\.internal\/\?sha256=[0-9a-f]{64}&item=\d+$/);
    await sue.getByText(/^Disputed by analyst\.b on/).waitFor();
    await checkScreen(sue, 'disputed-video');

    // The gallery assessed and confirmed: its forwards show with their reasons, in words.
    const assessed = await callApi(b, 'POST', `/items/${gallery}/assessments`, illegal);
    expect(assessed.status).toBe(201);
    const sourceAssessment = assessed.body.assessment.id as number;
    expect((await callApi(sue, 'POST', `/assessments/${sourceAssessment}/confirm`, {})).status).toBe(200);
    await openItem(sue, gallery);
    const forwards = sue.getByRole('region', { name: 'Forwards' });
    await forwards
      .getByText(/\(police\): (Pending|Sent)/)
      .first()
      .waitFor();
    // The routing's reasons in words (loopback hosting has no country: "unknown").
    await forwards
      .getByText(/^(where the page is hosted is unknown|the page is hosted .*)$/)
      .first()
      .waitFor();

    // A rotated copy matches under a dihedral variant (near, not near enough to be known without a
    // look), its source assessment linked; an exact copy is known: no view but a supervisor's explicit one.
    await report('/rotated');
    await report('/copy');
    const knownUrls = async () =>
      ((await callApi(b, 'GET', '/items?state=known')).body.items as { url: string }[]).map((i) => i.url);
    await expect.poll(knownUrls, { timeout: 60_000, interval: 500 }).toContain(`${site.origin}/copy`);
    await expect.poll(() => itemOf(b, '/rotated'), { timeout: 60_000, interval: 500 }).toBeGreaterThan(0);
    const [rotated, copy] = await Promise.all([itemOf(b, '/rotated'), itemOf(b, '/copy')]);
    await openItem(sue, rotated);
    const match = sue.getByRole('listitem').filter({ hasText: /^hotline: .*rotated 90°/ });
    await match.getByRole('link', { name: `Item ${gallery}` }).waitFor();
    expect(await match.textContent()).toContain(`from assessment ${sourceAssessment} of`);

    await openItem(b, copy);
    await b.getByText(/confirmed from its signals in the Known queue, without a view/).waitFor();
    expect(await b.getByRole('button', { name: 'Show the blurred view' }).count()).toBe(0);
    expect((await callApi(b, 'GET', `/items/${copy}/media/0/view`)).status).toBe(409);
    // Nor is it assessed from here by an analyst: the Known screen confirms it.
    expect(await b.getByRole('button', { name: 'Submit & next' }).count()).toBe(0);
    await openItem(sue, copy);
    const prefill = sue.getByText(
      new RegExp(`^Pre-filled from bank hotline, entry \\d+, assessment ${sourceAssessment} of Item ${gallery}$`),
    );
    await prefill.getByRole('link', { name: `Item ${gallery}` }).waitFor();
    await checkScreen(sue, 'known');
    await sue.getByRole('button', { name: 'View this known item anyway (audited)' }).click();
    await sue.getByRole('img', { name: /blurred level 5/ }).waitFor();
    const views = (await auditOf(sue, `item:${copy}`)).filter((e) => e.action === 'media.view');
    expect(views.map((e) => e.details.acknowledgedKnown)).toEqual([true]);
  }, 300_000);
});
