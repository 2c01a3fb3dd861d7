import { join } from 'node:path';
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

describe('the analyst workspace in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  const accounts: Record<string, CliAccount> = {};

  beforeAll(async () => {
    server = await startRealServer();
    browser = await launchChromium();
    // One CLI admin per test: a TOTP code is accepted once, so each test signs in with its own account.
    for (const name of ['root-desk', 'root-phone', 'root-keys', 'root-idle']) {
      accounts[name] = addAccountWithCli(join(server.dataDir, 'hotline.db'), name, 'admin');
    }
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

  it('signs a CLI admin in with password and TOTP, creates an analyst, changes and disables it, signs out', async () => {
    const { context, page, csp } = await open('desktop');
    const admin = accounts['root-desk'] as CliAccount;
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    await expectAccessible(page, 'sign-in');

    // A wrong code is refused with the server's message, and nothing else happens.
    await fillSignIn(page, admin, '000000' === totpNow(admin.totpSecret) ? '111111' : '000000');
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('The username, password or code is not correct');
    await expectAccessible(page, 'sign-in-error');

    await fillSignIn(page, admin);
    await page.getByRole('heading', { name: 'Queue', level: 1 }).waitFor();
    expect(await page.getByText(`Signed in as ${admin.username} (Administrator)`).isVisible()).toBe(true);
    await expectAccessible(page, 'home');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    await page.getByLabel('Username', { exact: true }).fill('ana.lyst');
    await page.getByLabel('Role', { exact: true }).selectOption('analyst');
    await page.getByLabel('Temporary password', { exact: true }).fill('a sturdy temporary passphrase 42');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    const created = page.getByRole('status').filter({ hasText: 'Account ana.lyst created' });
    await created.waitFor();
    expect(await created.textContent()).toMatch(/TOTP secret once, in person: [A-Z2-7]{16,}/);
    const row = page.getByRole('row', { name: /ana\.lyst/ });
    expect(await row.getByRole('cell').nth(1).textContent()).toBe('Active');
    await expectAccessible(page, 'users');

    await page.getByLabel('Role of ana.lyst').selectOption('supervisor');
    await expect.poll(() => page.getByLabel('Role of ana.lyst').inputValue()).toBe('supervisor');
    await page.getByRole('button', { name: 'Disable ana.lyst' }).click();
    await page.getByRole('button', { name: 'Enable ana.lyst' }).waitFor();
    expect(await row.getByRole('cell').nth(1).textContent()).toBe('Disabled');

    // What the screen shows is what the server holds.
    const users = (await page.evaluate(async () => (await fetch('/api/v1/users')).json())) as { users: unknown[] };
    expect(users.users).toContainEqual(
      expect.objectContaining({ username: 'ana.lyst', role: 'supervisor', disabled: true }),
    );

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('status').filter({ hasText: 'You are signed out.' }).waitFor();
    expect(await page.evaluate(async () => (await fetch('/api/v1/session')).status)).toBe(401);
    expect(csp).toEqual([]);
    await context.close();
  });

  it('works on a phone screen in French: sign-in, Home, Items, To confirm, Users, shortcuts', async () => {
    const { context, page, csp } = await open('phone');
    const admin = accounts['root-phone'] as CliAccount;
    await page.getByLabel('Language').selectOption('fr');
    await page.getByRole('heading', { name: 'Connexion', level: 1 }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    await expectAccessible(page, 'sign-in-fr');
    await page.getByLabel('Nom d’utilisateur').fill(admin.username);
    await page.getByLabel('Mot de passe').fill(admin.password);
    await page.getByLabel('Code de votre application d’authentification').fill(totpNow(admin.totpSecret));
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { name: 'File d’attente', level: 1 }).waitFor();
    await expectAccessible(page, 'home-fr');

    const nav = page.getByRole('navigation', { name: 'Principal' });
    await nav.getByRole('link', { name: 'Éléments' }).click();
    await page.getByRole('heading', { name: 'Éléments', level: 1 }).waitFor();
    expect(await page.getByLabel('Pays d’hébergement').isVisible()).toBe(true);
    await expectAccessible(page, 'items-fr');

    await nav.getByRole('link', { name: 'À confirmer' }).click();
    await page.getByRole('heading', { name: 'À confirmer', level: 1 }).waitFor();
    await expectAccessible(page, 'to-confirm-fr');

    await nav.getByRole('link', { name: 'Utilisateurs' }).click();
    await page.getByRole('row', { name: /root-phone/ }).waitFor();
    await expectAccessible(page, 'users-fr');

    await page.getByRole('button', { name: 'Raccourcis clavier' }).click();
    const help = page.getByRole('dialog', { name: 'Raccourcis clavier' });
    await help.waitFor();
    expect(await help.textContent()).toContain('Prendre l’élément suivant');
    await expectAccessible(page, 'shortcuts-fr');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });
    // The choice is kept for the next visit on this browser.
    await page.reload();
    await page.getByRole('heading', { name: 'Utilisateurs', level: 1 }).waitFor();
    expect(csp).toEqual([]);
    await context.close();
  });

  it('can be used with the keyboard alone: sign in, open the shortcuts with ?, go to Users with u', async () => {
    const { context, page } = await open('desktop');
    const admin = accounts['root-keys'] as CliAccount;
    const title = page.getByRole('heading', { name: 'Sign in', level: 1 });
    await title.waitFor();
    // The screen's title holds the focus, so the next Tab reaches the first field.
    expect(await hasFocus(title)).toBe(true);
    await page.keyboard.press('Tab');
    await page.keyboard.type(admin.username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(admin.password);
    await page.keyboard.press('Tab');
    await page.keyboard.type(totpNow(admin.totpSecret));
    await page.keyboard.press('Enter');
    const home = page.getByRole('heading', { name: 'Queue', level: 1 });
    await home.waitFor();
    expect(await hasFocus(home)).toBe(true);

    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    expect(await hasFocus(help.getByRole('button', { name: 'Close' }))).toBe(true);
    await page.keyboard.press('Enter');
    await help.waitFor({ state: 'hidden' });
    await page.keyboard.press('u');
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    await page.keyboard.press('l');
    await page.getByRole('heading', { name: 'Items', level: 1 }).waitFor();
    // Typing in a field is never a shortcut.
    await page.getByLabel('Hosting country').focus();
    await page.keyboard.type('hu');
    expect(await page.getByLabel('Hosting country').inputValue()).toBe('hu');
    expect(await page.getByRole('heading', { name: 'Items', level: 1 }).isVisible()).toBe(true);
    await context.close();
  });

  it('warns before the idle timeout, keeps the session on request, and signs out when it runs out', async () => {
    const context = await browser.newContext({ viewport: viewports.desktop, locale: 'en-GB' });
    const page = await context.newPage();
    await page.clock.install();
    await page.goto(`${server.baseUrl}/analyst/`);
    await fillSignIn(page, accounts['root-idle'] as CliAccount);
    await page.getByRole('heading', { name: 'Queue', level: 1 }).waitFor();
    const warning = page.getByRole('dialog', { name: 'Are you still there?' });

    await page.clock.fastForward('27:00');
    expect(await warning.isVisible()).toBe(false);
    await page.clock.fastForward('01:30');
    await warning.waitFor();
    await expectAccessible(page, 'idle-warning');
    await warning.getByRole('button', { name: 'Stay signed in' }).click();
    await warning.waitFor({ state: 'hidden' });

    await page.clock.fastForward('30:30');
    await page.getByRole('status').filter({ hasText: 'Your session ended' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Sign in', level: 1 }).isVisible()).toBe(true);
    await context.close();
  });

  it('serves the app under the strict CSP, with hashed assets cached and the page revalidated', async () => {
    const page = await fetch(`${server.baseUrl}/analyst/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|style=/);
    const asset = /src="(\/analyst\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    const script = await fetch(`${server.baseUrl}${asset}`);
    expect(script.headers.get('cache-control')).toContain('immutable');
    const bare = await fetch(`${server.baseUrl}/analyst`, { redirect: 'manual' });
    expect([bare.status, bare.headers.get('location')]).toEqual([301, '/analyst/']);
  });
});
