import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.ts';
import { addAccountWithCli, type CliAccount, openSignedIn, type viewports } from '../e2e/analyst-support.ts';
import { seriousViolations } from '../support/axe.ts';
import { launchChromium } from '../support/browser.ts';
import { type RunningServer, startRealServer } from '../support/server.ts';

const year = new Date().getUTCFullYear();
/** Reports of this year the test writes itself: month index and category. */
const made = [
  [0, 'csam'],
  [0, 'grooming'],
  [2, 'csam'],
  [2, 'csam'],
  [2, 'other'],
  [5, 'sexting'],
] as const;

describe('the statistics screen in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  const accounts: CliAccount[] = [];

  beforeAll(async () => {
    server = await startRealServer();
    browser = await launchChromium();
    const dbPath = join(server.dataDir, 'hotline.db');
    for (const name of ['stats-desk', 'stats-phone']) accounts.push(addAccountWithCli(dbPath, name, 'supervisor'));
    const handle = openDatabase(dbPath);
    const insert = handle.sqlite.prepare(
      "insert into reports (receipt_hash, category, site_type, media_type, received_at) values (?, ?, 'forum', 'image', ?)",
    );
    for (const [n, [month, category]] of made.entries()) insert.run(`seed${n}`, category, Date.UTC(year, month, 3));
    handle.close();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function openStatistics(viewport: keyof typeof viewports, account: CliAccount) {
    const { context, page, csp } = await openSignedIn(browser, server.baseUrl, viewport, account);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Statistics' }).click();
    await page.getByRole('heading', { name: `Hotline in figures ${year}` }).waitFor();
    return { context, page, csp };
  }

  const cell = (page: Page, table: string, row: string) =>
    page.getByRole('table', { name: table }).getByRole('row', { name: row }).getByRole('cell').textContent();

  it('shows the figures of the year with a chart, offers the CSV, and stays clean under the CSP and axe', async () => {
    const { context, page, csp } = await openStatistics('desktop', accounts[0] as CliAccount);
    const reports = page
      .getByRole('term')
      .filter({ hasText: 'Reports received' })
      .locator('xpath=following-sibling::dd');
    expect(await reports.textContent()).toBe(String(made.length));
    expect(await cell(page, 'Reports by category', 'Abuse images or videos')).toBe(
      String(made.filter(([, c]) => c === 'csam').length),
    );
    // No forward this year: every receiver listed at zero, and no removal time to show.
    expect(await cell(page, 'Forwards by receiver', 'Police')).toBe('0');
    expect(await cell(page, 'Forwards by receiver', 'Partner hotline')).toBe('0');
    const removal = page
      .getByRole('term')
      .filter({ hasText: 'Median time from report to removal' })
      .locator('xpath=following-sibling::dd');
    expect(await removal.textContent()).toBe('none');
    expect(await page.locator('.bar-chart canvas').count()).toBe(1);
    const csv = page.getByRole('link', { name: 'Download CSV' });
    const download = await context.request.get(`${server.baseUrl}${await csv.getAttribute('href')}`);
    expect(await download.text()).toContain(`reports,total,${made.length}`);
    expect(await seriousViolations(page)).toEqual([]);

    // The printed summary: no navigation or controls, and it fits on one page.
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Print the summary' }).isVisible()).toBe(false);
    const pdf = (await page.pdf({ format: 'A4', preferCSSPageSize: true })).toString('latin1');
    expect(pdf.match(/\/Type\s*\/Page[^s]/g)).toHaveLength(1);
    await page.emulateMedia({ media: 'screen' });

    for (const [lang, title] of [
      ['fr', `La hotline en chiffres ${year}`],
      ['nl', `Het meldpunt in cijfers ${year}`],
    ] as const) {
      await page.getByLabel(/Language|Langue|Taal/).selectOption(lang);
      await page.getByRole('heading', { name: title }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
    }
    expect(csp).toEqual([]);
    await context.close();
  }, 120_000);

  it('is readable and accessible on a phone', async () => {
    const { context, page, csp } = await openStatistics('phone', accounts[1] as CliAccount);
    expect(await page.locator('.bar-chart canvas').count()).toBe(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    expect(csp).toEqual([]);
    await context.close();
  }, 120_000);
});
