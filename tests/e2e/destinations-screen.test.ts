import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import { type RunningServer, startRealServer } from '../support/server.ts';
import {
  addAccountWithCli,
  type CliAccount,
  expectAccessible,
  hasFocus,
  openSignedIn,
  type viewports,
} from './analyst-support.ts';

interface Row {
  id: number;
  key: string;
  name: string;
  contact: string | null;
  channel: string | null;
  language: string | null;
  approved: boolean;
  active: boolean;
  source: string;
  asOf: string | null;
}

interface AuditEvent {
  action: string;
  details: Record<string, unknown>;
}

describe('the destinations screen in a real browser: the directory of receivers', () => {
  let server: RunningServer;
  let browser: Browser;
  const accounts: Record<string, CliAccount> = {};

  beforeAll(async () => {
    server = await startRealServer();
    browser = await launchChromium();
    const dbPath = join(server.dataDir, 'hotline.db');
    // One account per browser session: a TOTP code is accepted once.
    accounts.admin = addAccountWithCli(dbPath, 'dir-admin', 'admin');
    accounts.keyboard = addAccountWithCli(dbPath, 'dir-keys', 'admin');
    accounts.supervisor = addAccountWithCli(dbPath, 'dir-supervisor', 'supervisor');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const open = (viewport: keyof typeof viewports, account: CliAccount) =>
    openSignedIn(browser, server.baseUrl, viewport, account);

  const api = <T>(page: Page, path: string) =>
    page.evaluate(
      async (p) => (await fetch(`/api/v1${p}`, { headers: { Accept: 'application/json' } })).json(),
      path,
    ) as Promise<T>;
  const directory = async (page: Page) => (await api<{ destinations: Row[] }>(page, '/destinations')).destinations;
  const byKey = async (page: Page, key: string) => (await directory(page)).find((d) => d.key === key);
  const auditOf = async (page: Page, id: number) =>
    (await api<{ events: AuditEvent[] }>(page, `/audit?object=destination:${id}`)).events;

  /** The server's message shown at a field: the text the field is described by. */
  const problemAt = (page: Page, label: string | RegExp) =>
    page.getByLabel(label).evaluate((field) => {
      const id = field.getAttribute('aria-describedby');
      return field.getAttribute('aria-invalid') === 'true' && id ? document.getElementById(id)?.textContent : null;
    });

  it('lets an admin add a provider and a partner with per-field errors, approve and edit them (desktop)', async () => {
    const { context, page, csp } = await open('desktop', accounts.admin as CliAccount);
    await page.getByRole('navigation').getByRole('link', { name: 'Destinations', exact: true }).click();
    await page.getByRole('heading', { name: 'Destinations', level: 1 }).waitFor();
    // The seeded directory: the police, INTERPOL and the partner hotlines with their source and date.
    await page.getByRole('row', { name: /partner:NL/ }).waitFor();
    expect(await page.getByRole('row', { name: /partner:NL/ }).textContent()).toContain('Partner hotline');
    await expectAccessible(page, 'destinations');
    const seeded = (await directory(page)).length;

    // A provider with a malformed network number and address: each field says why; nothing is stored.
    await page.getByLabel('Network number (ASN)').fill('AS-12');
    await page.getByLabel('Organisation running the network').fill('Example Hosting BV');
    await page.getByLabel('Abuse e-mail address').fill('abuse at example');
    await page.getByRole('button', { name: 'Add the hosting provider' }).click();
    await page.getByRole('alert').filter({ hasText: 'Please correct the fields marked below.' }).waitFor();
    expect(await problemAt(page, 'Network number (ASN)')).toBe(
      "Give the network's number (ASN), a whole number from 1 to 4294967295.",
    );
    expect(await problemAt(page, 'Abuse e-mail address')).toBe("Give the abuse desk's e-mail address.");
    expect(await problemAt(page, 'Source of this contact')).toBe(
      'Say where this row comes from (1 to 500 characters).',
    );
    expect(await problemAt(page, 'Organisation running the network')).toBeNull();
    await expectAccessible(page, 'destinations-invalid');
    expect(await directory(page)).toHaveLength(seeded);

    await page.getByLabel('Network number (ASN)').fill('64512');
    await page.getByLabel('Abuse e-mail address').fill('abuse@hosting.example.test');
    await page.getByLabel('Source of this contact').fill('abuse desk, confirmed by phone');
    await page.getByLabel('Language of notices').selectOption('nl');
    await page.getByRole('button', { name: 'Add the hosting provider' }).click();
    await page.getByRole('status').filter({ hasText: 'Example Hosting BV added (provider:AS64512).' }).waitFor();
    const provider = (await byKey(page, 'provider:AS64512')) as Row;
    expect(provider).toMatchObject({ contact: 'abuse@hosting.example.test', language: 'nl', approved: false });
    expect((await auditOf(page, provider.id)).map((e) => e.action)).toEqual(['destination.create']);

    await page.getByRole('button', { name: 'Approve Example Hosting BV' }).click();
    await page.getByRole('status').filter({ hasText: 'Example Hosting BV is approved' }).waitFor();
    await expect.poll(async () => page.getByRole('button', { name: 'Approve Example Hosting BV' }).count()).toBe(0);
    expect((await byKey(page, 'provider:AS64512'))?.approved).toBe(true);
    expect((await auditOf(page, provider.id))[0]).toMatchObject({
      action: 'destination.update',
      details: { changed: { approved: { from: false, to: true } } },
    });

    // A partner hotline: a country that has one already is refused at the country field.
    await page.getByLabel('Kind of receiver').selectOption('partner_hotline');
    await page.getByLabel('Country (two letters)').fill('NL');
    await page.getByLabel('Name of the hotline').fill('Second Dutch hotline');
    await page.getByLabel('Contact (website, drop folder or address)').fill('https://second.example.test');
    await page.getByLabel('Source of this contact').fill('INHOPE member page');
    await page.getByRole('button', { name: 'Add the partner hotline' }).click();
    await expect
      .poll(() => problemAt(page, 'Country (two letters)'))
      .toBe('This country has a partner hotline already (one per country); edit it instead.');
    expect((await byKey(page, 'partner:NL'))?.name).not.toBe('Second Dutch hotline');

    await page.getByLabel('Country (two letters)').fill('XK');
    await page.getByLabel('Name of the hotline').fill('Hotline XK');
    await page.getByLabel('Channel').selectOption('iccam');
    await page.getByLabel('Date of the source').fill('2026-11');
    await page.getByRole('button', { name: 'Add the partner hotline' }).click();
    await page.getByRole('status').filter({ hasText: 'Hotline XK added (partner:XK).' }).waitFor();
    const partner = (await byKey(page, 'partner:XK')) as Row;
    expect(partner).toMatchObject({ channel: 'iccam', source: 'INHOPE member page', asOf: '2026-11', active: true });
    expect((await auditOf(page, partner.id))[0]).toMatchObject({
      action: 'destination.create',
      details: { key: 'partner:XK', country: 'XK', source: 'INHOPE member page' },
    });

    // Editing: a provider's contact must stay an address; the dialog shows the server's message.
    await page.getByRole('button', { name: 'Edit Example Hosting BV' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit Example Hosting BV' });
    await dialog.getByLabel('Abuse e-mail address').fill('https://hosting.example.test/abuse');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => problemAt(page, 'Abuse e-mail address')).toBe("Give the abuse desk's e-mail address.");
    await expectAccessible(page, 'destinations-edit-invalid');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await byKey(page, 'provider:AS64512'))?.contact).toBe('abuse@hosting.example.test');

    await page.getByRole('button', { name: 'Edit Hotline XK' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Hotline XK' });
    await edit.getByLabel('Contact (website, drop folder or address)').fill('/srv/drop/xk');
    await edit.getByLabel('Channel').selectOption('drop_folder');
    await edit.getByLabel('Language of notices').selectOption('fr');
    await edit.getByLabel('Active: routing may send forwards to it').uncheck();
    await edit.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Hotline XK saved.' }).waitFor();
    expect(await byKey(page, 'partner:XK')).toMatchObject({
      contact: '/srv/drop/xk',
      channel: 'drop_folder',
      language: 'fr',
      active: false,
    });
    expect((await auditOf(page, partner.id))[0]).toMatchObject({
      action: 'destination.update',
      details: {
        changed: {
          contact: { from: 'https://second.example.test', to: '/srv/drop/xk' },
          channel: { from: 'iccam', to: 'drop_folder' },
          language: { from: null, to: 'fr' },
          active: { from: true, to: false },
        },
      },
    });
    expect(await page.getByRole('row', { name: /partner:XK/ }).textContent()).toContain('Inactive');
    expect(csp).toEqual([]);
    await context.close();
  }, 120_000);

  it('can be worked with the keyboard alone on a phone, in Dutch', async () => {
    const { context, page, csp } = await open('phone', accounts.keyboard as CliAccount);
    await page.getByLabel('Language').selectOption('nl');
    await page.getByRole('heading', { name: 'Wachtrij', level: 1 }).waitFor();
    await page.getByRole('navigation').getByRole('link', { name: 'Ontvangers' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Ontvangers', level: 1 }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

    await page.getByLabel('Soort ontvanger').focus();
    await page.keyboard.press('ArrowDown'); // partner hotline
    await expect.poll(() => page.getByLabel('Soort ontvanger').inputValue()).toBe('partner_hotline');
    await page.keyboard.press('Tab');
    expect(await hasFocus(page.getByLabel('Land (twee letters)'))).toBe(true);
    await page.keyboard.type('MK');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Hotline MK');
    await page.keyboard.press('Tab');
    await page.keyboard.type('https://mk.example.test');
    await page.keyboard.press('Tab'); // channel
    await page.keyboard.press('Tab'); // language
    await page.keyboard.press('Tab');
    expect(await hasFocus(page.getByLabel('Bron van dit contact'))).toBe(true);
    await page.keyboard.type('opgebeld, 2026');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Hotline MK toegevoegd (partner:MK).' }).waitFor();
    expect(await byKey(page, 'partner:MK')).toMatchObject({ name: 'Hotline MK', source: 'opgebeld, 2026' });

    // Edit by keyboard: the dialog takes the focus; Escape closes it and changes nothing.
    await page.getByRole('button', { name: 'Hotline MK bewerken' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Hotline MK bewerken' });
    await dialog.waitFor();
    expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    await expectAccessible(page, 'destinations-nl-phone');
    expect(csp).toEqual([]);
    await context.close();
  }, 120_000);

  it('shows a supervisor the directory without anything to change (phone, French)', async () => {
    const { context, page, csp } = await open('phone', accounts.supervisor as CliAccount);
    await page.getByLabel('Language').selectOption('fr');
    await page.getByRole('heading', { name: 'File d’attente', level: 1 }).waitFor();
    await page.getByRole('navigation').getByRole('link', { name: 'Destinataires' }).click();
    await page.getByRole('heading', { name: 'Destinataires', level: 1 }).waitFor();
    await page.getByText('Seuls les administrateurs modifient l’annuaire.').waitFor();
    await page.getByLabel('Afficher').selectOption('police');
    await expect.poll(() => page.getByRole('row').count()).toBe(2);
    expect(await page.getByRole('row', { name: /police/ }).textContent()).toContain('cooperation protocol');
    expect(await page.getByRole('button', { name: /Modifier|Approuver/ }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Ajouter un destinataire' }).count()).toBe(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await expectAccessible(page, 'destinations-supervisor-fr');
    expect(csp).toEqual([]);
    await context.close();
  }, 120_000);
});
