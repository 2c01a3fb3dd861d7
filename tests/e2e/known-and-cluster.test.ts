import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../../src/db/client.ts';
import { Matcher } from '../../src/matching/matcher.ts';
import { bankConfirmedItem } from '../../src/review/own-bank-entries.ts';
import type { InspectedMedium } from '../../src/triage/pipeline.ts';
import { medium, reportAndTriage } from '../review/fixtures.ts';
import type { TestApp } from '../support/app.ts';
import { launchChromium } from '../support/browser.ts';
import { testConfig } from '../support/config.ts';
import { type RunningServer, startRealServer } from '../support/server.ts';
import {
  addAccountWithCli,
  type CliAccount,
  cspViolations,
  expectAccessible,
  signIn,
  viewports,
} from './analyst-support.ts';

// The known queue and the cluster section in Debian's Chromium, against the real server: the
// items are written into its database as triage would have stored them (no fetch, no picture).

interface Seeded {
  sourceAssessment: number;
  known: number[];
  cluster: { first: number; second: number; near: number; alone: number };
}

/** Triage's results, written straight into the server's database through the real writers. */
function seed(handle: DatabaseHandle): Seeded {
  const writer = { database: handle, config: testConfig(), clock: { now: Date.now } } as unknown as TestApp;
  // A confirmed assessment of ours, banked: later copies of its picture are `known`.
  const original = reportAndTriage(writer, 'https://original.example.test/', [medium('known picture')]);
  const sourceAssessment = handle.db.transaction((tx) => {
    const id = Number(
      handle.sqlite
        .prepare(
          `insert into assessments (item_id, source, outcome, content, status, created_at)
           values (?, 'analyst', 'baseline', 'real_abuse', 'confirmed', ?)`,
        )
        .run(original, Date.now()).lastInsertRowid,
    );
    handle.sqlite.prepare("update items set review_queue = 'decided' where id = ?").run(original);
    bankConfirmedItem(tx, { itemId: original, label: 'baseline/real_abuse', assessmentId: id, confirmedBy: 1, now: 0 });
    return id;
  });
  const matcher = new Matcher(handle.db, writer.config.matching);
  const copy = (url: string) => {
    const again = medium('known picture');
    again.matches = matcher.match({ ...again.signals, pdqVariants: null });
    return reportAndTriage(writer, url, [again]);
  };
  const known = [copy('https://mirror-one.example.test/'), copy('https://mirror-two.example.test/')];

  // Two pages with the same file and a third with a near copy of it; one unrelated page.
  const near: InspectedMedium = medium('shared picture, re-encoded');
  const pdq = medium('shared picture').signals.pdq as string;
  near.signals = {
    ...near.signals,
    pdq: `${(Number.parseInt(pdq[0] as string, 16) ^ 0x3).toString(16)}${pdq.slice(1)}`,
  };
  const cluster = {
    first: reportAndTriage(writer, 'https://first.example.test/', [medium('shared picture')]),
    second: reportAndTriage(writer, 'https://second.example.test/', [medium('shared picture')]),
    near: reportAndTriage(writer, 'https://near.example.test/', [near]),
    alone: reportAndTriage(writer, 'https://alone.example.test/', [medium('unrelated')]),
  };
  return { sourceAssessment, known, cluster };
}

describe('the known queue and the cluster section in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let seeded: Seeded;
  const accounts: Record<string, CliAccount> = {};

  beforeAll(async () => {
    server = await startRealServer();
    browser = await launchChromium();
    const dbPath = join(server.dataDir, 'hotline.db');
    for (const name of ['known-desk', 'known-phone', 'cluster-desk', 'cluster-phone']) {
      accounts[name] = addAccountWithCli(dbPath, name, 'supervisor');
    }
    const handle = openDatabase(dbPath);
    seeded = seed(handle);
    handle.close();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Signs in; every request the page makes is kept, to prove no view was asked for. */
  async function signedIn(viewport: keyof typeof viewports, account: CliAccount) {
    const context: BrowserContext = await browser.newContext({ viewport: viewports[viewport], locale: 'en-GB' });
    const page = await context.newPage();
    const csp = cspViolations(page);
    const requests: string[] = [];
    page.on('request', (request) => requests.push(new URL(request.url()).pathname));
    await signIn(page, server.baseUrl, account);
    return { context, page, csp, requests };
  }

  const api = (page: Page, path: string) =>
    page.evaluate(async (p) => (await fetch(`/api/v1${p}`)).json(), path) as Promise<Record<string, unknown>>;

  it('a supervisor confirms known items in bulk from their source and signals, with no view', async () => {
    const { context, page, csp, requests } = await signedIn('desktop', accounts['known-desk'] as CliAccount);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Known' }).click();
    await page.getByRole('heading', { name: 'Known items', level: 1 }).waitFor();
    const [first, second] = seeded.known as [number, number];
    const card = page.getByRole('article', { name: `Item ${first}` });
    expect(await card.textContent()).toContain(`from assessment ${seeded.sourceAssessment}`);
    expect(await card.getByText('Suggested assessment').isVisible()).toBe(true);
    expect(await card.getByText(/sha256 at distance 0, as it is/).isVisible()).toBe(true);
    const confirm = page.getByRole('button', { name: /Confirm the ticked items/ });
    expect(await confirm.isDisabled()).toBe(true);
    expect(await page.getByText('Tick at least one item.').isVisible()).toBe(true);
    await expectAccessible(page, 'known');

    await page.getByLabel(`Tick item ${first}`).check();
    await page.getByLabel('Comment').fill('same picture as our confirmed assessment');
    await page.getByRole('button', { name: 'Confirm the ticked items (1)' }).click();
    await page.getByRole('status').filter({ hasText: 'Confirmed: 1.' }).waitFor();
    await page.getByRole('article', { name: `Item ${first}` }).waitFor({ state: 'detached' });
    expect(await page.getByRole('article', { name: `Item ${second}` }).isVisible()).toBe(true);
    await expectAccessible(page, 'known-confirmed');

    const audit = (await api(page, `/audit?object=item:${first}`)) as { events: { action: string; details: object }[] };
    expect(audit.events[0]).toBeDefined();
    expect(audit.events.find((e) => e.action === 'assessment.confirm')?.details).toMatchObject({
      source: 'known',
      sourceAssessmentId: seeded.sourceAssessment,
      bank: 'hotline',
    });
    expect(requests.filter((path) => path.includes('/media/'))).toEqual([]);
    expect(csp).toEqual([]);
    await context.close();
  }, 120_000);

  it('the known screen works on a phone', async () => {
    const { context, page, csp, requests } = await signedIn('phone', accounts['known-phone'] as CliAccount);
    await page.goto(`${server.baseUrl}/analyst/#/known`);
    await page.getByRole('heading', { name: 'Known items', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Tick all', exact: true }).click();
    expect(await page.getByRole('button', { name: /Confirm the ticked items \(\d\)/ }).isEnabled()).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await expectAccessible(page, 'known');
    for (const [lang, title, tick] of [
      ['fr', 'Éléments connus', 'Tout cocher'],
      ['nl', 'Bekende items', 'Alles aanvinken'],
    ] as const) {
      await page.getByLabel(/Language|Langue|Taal/).selectOption(lang);
      await page.getByRole('heading', { name: title, level: 1 }).waitFor();
      expect(await page.getByRole('button', { name: tick, exact: true }).isVisible()).toBe(true);
      await expectAccessible(page, `known-${lang}`);
    }
    expect(requests.filter((path) => path.includes('/media/'))).toEqual([]);
    expect(csp).toEqual([]);
    await context.close();
  }, 120_000);

  it('the item screen lists its cluster, and one assessment goes to the ticked items only', async () => {
    const { context, page, csp, requests } = await signedIn('desktop', accounts['cluster-desk'] as CliAccount);
    const { first, second, near, alone } = seeded.cluster;
    await page.goto(`${server.baseUrl}/analyst/#/items/${first}`);
    const section = page.getByRole('region', { name: /Cluster: 3 items/ });
    await section.waitFor();
    expect(await section.textContent()).toContain(`Same file as Item ${first} (sha256)`);
    expect(await section.textContent()).toMatch(new RegExp(`Near Item ${first} \\(pdq, distance \\d\\)`));
    expect(await section.textContent()).not.toContain(`Item ${alone}`);
    const apply = section.getByRole('button', { name: /Apply this assessment to the ticked items/ });
    expect(await apply.isDisabled()).toBe(true);
    expect(await section.getByText('Tick the items that should take this assessment.').isVisible()).toBe(true);
    await expectAccessible(page, 'cluster');

    await section.getByLabel(`Tick Item ${second}`).check();
    await section.getByLabel(`Tick Item ${near}`).check();
    expect(await section.getByText(/Complete the decision form first/).isVisible()).toBe(true);
    await page.getByLabel('Legal status').selectOption('not_illegal');
    await section.getByRole('button', { name: 'Apply this assessment to the ticked items (2)' }).click();
    await section.getByRole('status').filter({ hasText: 'Assessment applied to 2 items' }).waitFor();
    await expectAccessible(page, 'cluster-applied');

    const queueOf = async (id: number) =>
      ((await api(page, `/items/${id}`)) as { item: { review: { queue: string } } }).item.review.queue;
    expect(await queueOf(second)).toBe('to_confirm');
    expect(await queueOf(near)).toBe('to_confirm');
    expect(await queueOf(first)).toBe('new');
    expect(requests.filter((path) => path.includes('/media/'))).toEqual([]);
    expect(csp).toEqual([]);
    await context.close();
  }, 120_000);

  it('the cluster section works on a phone', async () => {
    const { context, page, csp } = await signedIn('phone', accounts['cluster-phone'] as CliAccount);
    await page.goto(`${server.baseUrl}/analyst/#/items/${seeded.cluster.first}`);
    await page.getByRole('region', { name: /Cluster: 3 items/ }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await expectAccessible(page, 'cluster');
    expect(csp).toEqual([]);
    await context.close();
  }, 120_000);
});
