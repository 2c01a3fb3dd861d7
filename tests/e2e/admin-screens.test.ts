import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import { type RunningServer, startRealServer } from '../support/server.ts';
import {
  addAccountWithCli,
  type CliAccount,
  cspViolations,
  expectAccessible,
  fillSignIn,
  hasFocus,
  totpNow,
  viewports,
} from './analyst-support.ts';

const hour = 3_600_000;

/**
 * Forwards in every situation the outbox must show: one failed, one pending for 100 hours
 * (overdue), one pending since now. Written straight into the running server's database: the
 * routing that creates them is proven in tests/forwarding.
 */
function seedForwards(dbPath: string): { failed: number; overdue: number } {
  const db = new Database(dbPath);
  try {
    const now = Date.now();
    const police = db.prepare("select id from destinations where key = 'police'").get() as { id: number };
    const forward = (n: number, state: string, createdAt: number) => {
      const url = `https://outbox${n}.example.test/`;
      const item = db
        .prepare(
          `insert into items (dedup_key, canonical_url, url, host, first_reported_at, last_reported_at)
           values (?, ?, ?, ?, ?, ?)`,
        )
        .run(url, url, url, `outbox${n}.example.test`, createdAt, createdAt).lastInsertRowid;
      const assessment = db
        .prepare(
          "insert into assessments (item_id, source, outcome, status, created_at) values (?, 'analyst', 'national', 'confirmed', ?)",
        )
        .run(item, createdAt).lastInsertRowid;
      return Number(
        db
          .prepare(
            `insert into forwards (item_id, assessment_id, destination_id, state, reasons, created_at, updated_at)
             values (?, ?, ?, ?, '[]', ?, ?)`,
          )
          .run(item, assessment, police.id, state, createdAt, createdAt).lastInsertRowid,
      );
    };
    const failed = forward(1, 'failed', now - hour);
    // Its channel kept failing: the outbox says how often, why and when it is tried next.
    db.prepare(
      "update forwards set delivery_attempts = 5, last_delivery_error = 'smtp:ESOCKET', next_delivery_at = ? where id = ?",
    ).run(now + hour, failed);
    const overdue = forward(2, 'pending', now - 100 * hour);
    forward(3, 'pending', now);
    return { failed, overdue };
  } finally {
    db.close();
  }
}

/** A TOTP code is accepted once: the same account signs in again only in the next 30-second step. */
async function nextTotpStep(secret: string): Promise<string> {
  const used = totpNow(secret);
  for (;;) {
    await new Promise((r) => setTimeout(r, 500));
    const code = totpNow(secret);
    if (code !== used) return code;
  }
}

describe('the admin screens in a real browser: banks, settings, outbox, language on the account', () => {
  let server: RunningServer;
  let browser: Browser;
  let dbPath: string;
  let seeded: { failed: number; overdue: number };
  const accounts: Record<string, CliAccount> = {};

  beforeAll(async () => {
    server = await startRealServer();
    browser = await launchChromium();
    dbPath = join(server.dataDir, 'hotline.db');
    accounts.admin = addAccountWithCli(dbPath, 'root-admin', 'admin');
    accounts.supervisor = addAccountWithCli(dbPath, 'sue-supervisor', 'supervisor');
    seeded = seedForwards(dbPath);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function open(
    viewport: keyof typeof viewports,
  ): Promise<{ context: BrowserContext; page: Page; csp: string[] }> {
    const context = await browser.newContext({ viewport: viewports[viewport], locale: 'en-GB' });
    const page = await context.newPage();
    const csp = cspViolations(page);
    await page.goto(`${server.baseUrl}/analyst/`);
    return { context, page, csp };
  }

  const goTo = async (page: Page, link: string, heading: string) => {
    await page.getByRole('navigation').getByRole('link', { name: link, exact: true }).click();
    await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
  };

  const api = (page: Page, path: string) =>
    page.evaluate(async (p) => (await fetch(`/api/v1${p}`, { headers: { Accept: 'application/json' } })).json(), path);

  it('lets an admin import, disable and enable a bank, change settings with per-field errors, and work the outbox (desktop)', async () => {
    const { context, page, csp } = await open('desktop');
    await fillSignIn(page, accounts.admin as CliAccount);
    await page.getByRole('heading', { name: 'Queue', level: 1 }).waitFor();

    // Banks: an upload with one bad line; the line is named.
    await goTo(page, 'Banks', 'Hash banks');
    await expectAccessible(page, 'banks-empty');
    const csv = `signal_type,value,label,source\nmd5,${'ab'.repeat(16)},national,p1\nmd5,not-hex,national,p2\nsha1,${'cd'.repeat(20)},not_illegal,p3\n`;
    await page.getByLabel('Bank name').fill('partner-a');
    await page
      .getByLabel('CSV or VICS file')
      .setInputFiles({ name: 'list.txt', mimeType: 'text/plain', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'partner-a: 2 good rows read (CSV), 2 new' }).waitFor();
    expect(await page.getByRole('alert').filter({ hasText: '1 rows were skipped' }).textContent()).toMatch(/Line 3: /);
    const row = page.getByRole('row', { name: /partner-a/ });
    await expect.poll(() => row.getByRole('cell').nth(2).textContent()).toBe('2 (2)');
    await expectAccessible(page, 'banks-imported');
    await page.getByRole('button', { name: 'Disable partner-a' }).click();
    await page.getByRole('button', { name: 'Enable partner-a' }).waitFor();
    expect(await row.getByRole('cell').nth(1).textContent()).toBe('Disabled');
    expect((await api(page, '/banks')).banks).toMatchObject([{ name: 'partner-a', enabled: false, entries: 2 }]);
    await page.getByRole('button', { name: 'Enable partner-a' }).click();
    await page.getByRole('button', { name: 'Disable partner-a' }).waitFor();

    // Settings: the server's message shows at its field; a good value is saved.
    await goTo(page, 'Settings', 'Settings');
    const limit = page.getByLabel('Daily viewing limit per analyst (minutes)');
    await expect.poll(() => limit.inputValue()).toBe('120');
    await limit.fill('0');
    await page.getByLabel('Random part added to that delay, at most (hours)').fill('1.5');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Give a whole number of minutes from 1 to 1,440.').waitFor();
    expect(await page.getByText('Give a whole number of hours from 0 to 720.').isVisible()).toBe(true);
    expect(await limit.getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'settings-invalid');
    expect((await api(page, '/settings')).settings.exposureLimitMinutes).toBe(120);
    await limit.fill('90');
    await page.getByLabel('Random part added to that delay, at most (hours)').fill('12');
    await page.getByLabel('Analysts may confirm or dispute another analyst’s assessment').check();
    const pdq = page.getByLabel('PDQ match distance: differing bits at most for a bank match (0 to 128)');
    expect(await pdq.inputValue()).toBe('31');
    await pdq.fill('24');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
    expect((await api(page, '/settings')).settings).toMatchObject({
      exposureLimitMinutes: 90,
      statusDelayRandomHours: 12,
      analystsMayConfirm: true,
      pdqThreshold: 24,
      blockhashThreshold: 10,
    });
    expect(await limit.getAttribute('aria-invalid')).toBeNull();

    // Outbox: failed and overdue are shouted; a forward's new state and reference are recorded.
    await goTo(page, 'Outbox', 'Outbox');
    await page.getByRole('alert').filter({ hasText: '1 forwards failed' }).waitFor();
    await page.getByRole('alert').filter({ hasText: '1 forwards are overdue' }).waitFor();
    await page.getByText('5 delivery attempts failed (smtp:ESOCKET); next try').waitFor();
    await expectAccessible(page, 'outbox');
    await page.getByLabel(`New state of forward ${seeded.failed}`).selectOption('sent');
    await page.getByLabel(`Receiver’s reference of forward ${seeded.failed}`).fill('FGP-2026-1');
    await page.getByRole('button', { name: `Record for forward ${seeded.failed}` }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Forward ${seeded.failed} is now: Sent.` })
      .waitFor();
    await expect.poll(async () => page.getByRole('alert').filter({ hasText: 'forwards failed' }).count()).toBe(0);
    const sent = await api(page, '/forwards?state=sent');
    expect(sent.forwards).toMatchObject([{ id: seeded.failed, state: 'sent', receiverReference: 'FGP-2026-1' }]);
    const link = page.getByRole('link', { name: 'Download the package' });
    expect(await link.getAttribute('href')).toMatch(/^\/api\/v1\/exports\?to=police&since=\d{4}-01-01$/);
    expect(
      (await page.request.get(`${server.baseUrl}${await link.getAttribute('href')}`)).headers()['content-type'],
    ).toBe('application/zip');
    expect(csp).toEqual([]);
    await context.close();
  });

  it('keeps the language on the account: chosen on one device, shown on another at sign-in (phone)', async () => {
    const supervisor = accounts.supervisor as CliAccount;
    const first = await open('desktop');
    await fillSignIn(first.page, supervisor);
    await first.page.getByRole('heading', { name: 'Queue', level: 1 }).waitFor();
    await first.page.getByLabel('Language').selectOption('nl');
    await first.page.getByRole('heading', { name: 'Wachtrij', level: 1 }).waitFor();
    await expect.poll(async () => (await api(first.page, '/session')).user.language).toBe('nl');
    await first.context.close();

    // Another browser, English by its locale and its own storage: the account's Dutch wins at sign-in.
    const code = await nextTotpStep(supervisor.totpSecret);
    const { context, page, csp } = await open('phone');
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    await fillSignIn(page, supervisor, code);
    await page.getByRole('heading', { name: 'Wachtrij', level: 1 }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('nl');

    // A supervisor sees the admin screens, changes nothing an admin keeps, and works the outbox by keyboard.
    await page.getByRole('navigation').getByRole('link', { name: 'Banken' }).click();
    await page.getByRole('heading', { name: 'Hashbanken', level: 1 }).waitFor();
    expect(await page.getByRole('button', { name: /uitschakelen|inschakelen/ }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'De lijst van een partner importeren' }).count()).toBe(0);
    await expectAccessible(page, 'banks-supervisor-nl');
    await page.getByRole('navigation').getByRole('link', { name: 'Instellingen' }).click();
    await page.getByRole('heading', { name: 'Instellingen', level: 1 }).waitFor();
    await page.getByText('Alleen beheerders wijzigen deze instellingen.').waitFor();
    expect(await page.getByLabel('Dagelijkse kijklimiet per analist (minuten)').isDisabled()).toBe(true);
    await expectAccessible(page, 'settings-supervisor-nl');

    await page.getByRole('navigation').getByRole('link', { name: 'Uitgaand' }).click();
    await page.getByRole('heading', { name: 'Uitgaand', level: 1 }).waitFor();
    await page.getByRole('alert').filter({ hasText: '1 doorzendingen zijn te laat' }).waitFor();
    await expectAccessible(page, 'outbox-supervisor-nl');
    const state = page.getByLabel(`Nieuwe status van doorzending ${seeded.overdue}`);
    await state.focus();
    await page.keyboard.press('Tab');
    expect(await hasFocus(page.getByLabel(`Referentie van de ontvanger voor doorzending ${seeded.overdue}`))).toBe(
      true,
    );
    await page.keyboard.type('FGP-2026-2');
    await page.keyboard.press('Tab');
    expect(await hasFocus(page.getByRole('button', { name: `Noteren voor doorzending ${seeded.overdue}` }))).toBe(true);
    await page.keyboard.press('Enter');
    await page
      .getByRole('status')
      .filter({ hasText: `Doorzending ${seeded.overdue} is nu: Verzonden.` })
      .waitFor();
    expect(csp).toEqual([]);
    await context.close();
  }, 90_000);
});
