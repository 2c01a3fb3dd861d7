import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/axe.ts';
import { launchChromium } from '../support/browser.ts';
import { seededRandom } from '../support/seeded-random.ts';
import { type RunningServer, startRealServer } from '../support/server.ts';
import { addAccountWithCli, type CliAccount, cspViolations, keepScreenshot, totpNow } from './analyst-support.ts';

const year = new Date().getUTCFullYear();
const dayMs = 86_400_000;
/** Where the year's content was hosted: dozens of countries, the first ones far more often. */
const countries = (
  'NL DE US FR GB LU RU UA PL RO CZ SE FI DK AT IT ES PT GR BG HU SK SI HR RS BA AL MD LT LV EE IS IE ' +
  'CA MX BR AR CO PE ZA NG JP KR TW TH PH AU NZ TR KZ XK MK'
).split(' ');
const printedCountries = 8;

/** What the test made, so that it can work out each figure itself. */
interface Made {
  reports: { receivedAt: number }[];
  items: { firstReportedAt: number }[];
  /** Illegal content confirmed: where it was hosted. */
  illegalHosting: string[];
  /** One per forward: the receiver's country (`none`: the police). */
  forwardCountries: string[];
  /** Per forwarded item: from its first report to its earliest removal, null while online. */
  removalWaits: (number | null)[];
}

/**
 * A realistic year written straight into the database (the figures' own tests prove the queries
 * against real intake): ~400 locations reported in every month, most confirmed, the illegal ones
 * forwarded to the partner hotline of their country or to the police, many removed days later.
 */
function makeYear(dbPath: string): Made {
  const db = new Database(dbPath);
  const random = seededRandom(year);
  const made: Made = { reports: [], items: [], illegalHosting: [], forwardCountries: [], removalWaits: [] };
  try {
    const partners = new Map(
      (
        db.prepare("select id, country from destinations where kind = 'partner_hotline'").all() as {
          id: number;
          country: string;
        }[]
      ).map((d) => [d.country, d.id]),
    );
    const police = (db.prepare("select id from destinations where key = 'police'").get() as { id: number }).id;
    const report = db.prepare(
      "insert into reports (receipt_hash, category, site_type, media_type, received_at) values (?, ?, 'forum', 'image', ?)",
    );
    const item = db.prepare(
      `insert into items (dedup_key, canonical_url, url, host, first_reported_at, last_reported_at, hosting_country)
       values (?, ?, ?, ?, ?, ?, ?)`,
    );
    const assessment = db.prepare(
      `insert into assessments (item_id, source, outcome, content, site_type, status, created_at, decided_at)
       values (?, 'analyst', ?, 'real_abuse', 'forum', 'confirmed', ?, ?)`,
    );
    const forward = db.prepare(
      `insert into forwards (item_id, assessment_id, destination_id, state, reasons, created_at, updated_at, removed_at)
       values (?, ?, ?, ?, '[]', ?, ?, ?)`,
    );
    db.transaction(() => {
      for (let n = 0; n < 400; n++) {
        const month = n % 11;
        const at = Date.UTC(year, month, 1 + Math.floor(random() * 27), 9);
        // Skewed: the first countries host most of it, as in any hotline's year.
        const country = countries[Math.floor(random() ** 2.2 * countries.length)] as string;
        const url = `https://site${n}.example.test/`;
        const itemId = Number(item.run(url, url, url, `site${n}.example.test`, at, at, country).lastInsertRowid);
        made.items.push({ firstReportedAt: at });
        for (let r = 0; r < 1 + (n % 3 === 0 ? 1 : 0); r++) {
          report.run(`r${n}-${r}`, ['csam', 'grooming', 'other', 'sexting'][n % 4], at + r * 3_600_000);
          made.reports.push({ receivedAt: at + r * 3_600_000 });
        }
        if (n % 5 === 4) continue; // not decided yet
        const outcome = n % 7 === 0 ? 'not_illegal' : n % 2 ? 'baseline' : 'national';
        const decidedAt = at + (1 + Math.floor(random() * 6)) * dayMs;
        const assessmentId = Number(assessment.run(itemId, outcome, decidedAt, decidedAt).lastInsertRowid);
        if (outcome === 'not_illegal') continue;
        made.illegalHosting.push(country);
        const partner = country === 'BE' ? undefined : partners.get(country);
        const receivers: [number, string][] = partner ? [[partner, country]] : [[police, 'none']];
        // Now and then the police are informed of a partner's forward too.
        if (partner && n % 9 === 0) receivers.push([police, 'none']);
        const removed = random() < 0.7;
        const removedAt = removed ? decidedAt + Math.floor(random() * 10 * dayMs) : null;
        receivers.forEach(([destinationId, receiverCountry], index) => {
          // The partner's forward records the removal; the police's copy a day later, if at all.
          const mine = removedAt === null ? null : removedAt + index * dayMs;
          forward.run(itemId, assessmentId, destinationId, mine ? 'removed' : 'sent', decidedAt, decidedAt, mine);
          made.forwardCountries.push(receiverCountry);
        });
        made.removalWaits.push(removedAt === null ? null : removedAt - at);
      }
    })();
  } finally {
    db.close();
  }
  return made;
}

const countBy = (values: readonly string[]) => {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
};
const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
/** The largest counts a page has room for and the sum of the rest, worked out by the test. */
function topAndOther(counts: Map<string, number>) {
  const sorted = [...counts.values()].sort((a, b) => b - a);
  return {
    top: sorted.slice(0, printedCountries),
    other: sorted.slice(printedCountries).reduce((a, b) => a + b, 0),
    others: sorted.length - printedCountries,
  };
}

describe('the statistics screen with a realistic year: every figure, two charts, a one-page print in FR and NL', () => {
  let server: RunningServer;
  let browser: Browser;
  let made: Made;
  let account: CliAccount;
  let phoneAccount: CliAccount;

  beforeAll(async () => {
    server = await startRealServer();
    browser = await launchChromium();
    const dbPath = join(server.dataDir, 'hotline.db');
    account = addAccountWithCli(dbPath, 'stats-print', 'supervisor');
    phoneAccount = addAccountWithCli(dbPath, 'stats-print-phone', 'supervisor');
    made = makeYear(dbPath);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const term = (page: Page, label: string) =>
    page.getByRole('term').filter({ hasText: label }).locator('xpath=following-sibling::dd').textContent();
  const cell = (page: Page, table: string, row: string | RegExp) =>
    page.getByRole('table', { name: table }).getByRole('row', { name: row }).getByRole('cell').textContent();
  /** The rows of a table a reader sees (on paper: what prints), as [name, count]. */
  const visibleRows = (page: Page, table: string) =>
    page
      .getByRole('table', { name: table })
      .locator('tbody tr')
      .evaluateAll((rows) =>
        rows
          .filter((r) => (r as HTMLElement).offsetParent !== null)
          .map((r) => [r.querySelector('th')?.textContent ?? '', r.querySelector('td')?.textContent ?? '']),
      );

  async function openStatistics(viewport: { width: number; height: number }, who: CliAccount) {
    const context = await browser.newContext({ viewport, locale: 'en-GB' });
    const page = await context.newPage();
    const csp = cspViolations(page);
    await page.goto(`${server.baseUrl}/analyst/`);
    await page.getByLabel('Username').fill(who.username);
    await page.getByLabel('Password').fill(who.password);
    await page.getByLabel('Code from your authenticator app').fill(totpNow(who.totpSecret));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Statistics' }).click();
    await page.getByRole('heading', { name: `Hotline in figures ${year}` }).waitFor();
    return { context, page, csp };
  }

  it('shows what the test made, and prints it on one page in French and Dutch with the largest countries', async () => {
    const { context, page, csp } = await openStatistics({ width: 1280, height: 800 }, account);

    const en = new Intl.NumberFormat('en');
    expect(await term(page, 'Reports received')).toBe(en.format(made.reports.length));
    expect(await term(page, 'Reported locations')).toBe(en.format(made.items.length));
    expect(await term(page, 'Forwards to receivers')).toBe(en.format(made.forwardCountries.length));
    const waits = made.removalWaits.filter((w): w is number => w !== null);
    expect(await term(page, 'Forwarded items removed')).toBe(`${waits.length} of ${made.removalWaits.length}`);
    expect(await term(page, 'Median time from report to removal')).toBe(
      `${en.format(Math.round((median(waits) / dayMs) * 10) / 10)} days`,
    );
    const percent = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 0 });
    const within = (days: number) => percent.format(waits.filter((w) => w <= days * dayMs).length / waits.length);
    expect(await term(page, 'Removed within 3 / 7 days')).toBe(`${within(3)} / ${within(7)}`);

    // Per month: reports and new locations, every month of the year listed.
    const march = new Date(Date.UTC(year, 2, 1)).toLocaleString('en', { month: 'short', timeZone: 'UTC' });
    const inMarch = (times: number[]) => times.filter((at) => new Date(at).getUTCMonth() === 2).length;
    expect(await cell(page, 'Reports per month', march)).toBe(String(inMarch(made.reports.map((r) => r.receivedAt))));
    expect(await cell(page, 'New reported locations per month', march)).toBe(
      String(inMarch(made.items.map((i) => i.firstReportedAt))),
    );

    // Every country on screen, the largest first; the police's forwards have none.
    const byReceiver = countBy(made.forwardCountries);
    const onScreen = await visibleRows(page, 'Forwards by receiver’s country');
    expect(onScreen).toHaveLength(byReceiver.size);
    expect(onScreen.map(([, n]) => Number(n))).toEqual([...byReceiver.values()].sort((a, b) => b - a));
    expect(await cell(page, 'Forwards by receiver’s country', 'No country (police, INTERPOL)')).toBe(
      String(byReceiver.get('none')),
    );
    const hosting = countBy(made.illegalHosting);
    expect(hosting.size).toBeGreaterThan(30);
    expect(await visibleRows(page, 'Illegal content by hosting country')).toHaveLength(hosting.size);
    expect(await cell(page, 'Illegal content by hosting country', 'NL')).toBe(String(hosting.get('NL')));
    expect(await page.locator('.bar-chart canvas').count()).toBe(2);
    expect(await seriousViolations(page)).toEqual([]);

    for (const [lang, title, other] of [
      ['fr', `La hotline en chiffres ${year}`, 'Autres'],
      ['nl', `Het meldpunt in cijfers ${year}`, 'Andere'],
    ] as const) {
      await page.getByLabel(/Language|Langue|Taal/).selectOption(lang);
      await page.getByRole('heading', { name: title }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      const format = new Intl.NumberFormat(lang);
      const tables: Record<typeof lang, [string, string]> = {
        fr: ['Contenu illégal par pays d’hébergement', 'Transmissions par pays du destinataire'],
        nl: ['Illegale inhoud per land van hosting', 'Doorzendingen per land van de ontvanger'],
      };

      await page.emulateMedia({ media: 'print' });
      for (const [table, counts] of [
        [tables[lang][0], hosting],
        [tables[lang][1], byReceiver],
      ] as const) {
        const expected = topAndOther(counts);
        const printed = await visibleRows(page, table);
        expect(printed.slice(0, -1).map(([, n]) => n)).toEqual(expected.top.map((n) => format.format(n)));
        expect(printed.at(-1)).toEqual([
          lang === 'fr' ? `${other} (${expected.others} pays)` : `${other} (${expected.others} landen)`,
          format.format(expected.other),
        ]);
      }
      // Both charts drawn on paper, scaled to their column and not squashed.
      const charts = await page
        .locator('.bar-chart canvas')
        .evaluateAll((canvases) =>
          canvases.map((c) => c.getBoundingClientRect()).map((r) => ({ width: r.width, height: r.height })),
        );
      expect(charts).toHaveLength(2);
      for (const { width, height } of charts) {
        expect(width).toBeGreaterThan(200);
        expect(height).toBeGreaterThan(width / 5);
      }
      // The summary measured in print, then printed: one A4 page.
      const pdf = (await page.pdf({ format: 'A4', preferCSSPageSize: true })).toString('latin1');
      expect(pdf.match(/\/Type\s*\/Page[^s]/g), lang).toHaveLength(1);
      await keepScreenshot(page, `statistics-print-${lang}`);
      await page.emulateMedia({ media: 'screen' });
    }
    expect(csp).toEqual([]);
    await context.close();
  }, 180_000);

  it('keeps dozens of countries readable on a phone: both charts, no sideways scrolling, axe clean', async () => {
    const { context, page, csp } = await openStatistics({ width: 360, height: 740 }, phoneAccount);
    await page.getByRole('table', { name: 'Illegal content by hosting country' }).waitFor();
    expect(await page.locator('.bar-chart canvas').count()).toBe(2);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await keepScreenshot(page, 'statistics-year');
    expect(csp).toEqual([]);
    await context.close();
  }, 120_000);
});
