import { join } from 'node:path';
import { generateSync } from 'otplib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import { type RunningServer, startRealServer } from '../support/server.ts';
import {
  addAccountWithCli,
  type CliAccount,
  expectAccessible,
  openSignedIn,
  totpNow,
  type viewports,
} from './analyst-support.ts';

interface UserView {
  id: number;
  username: string;
  role: string;
  disabled: boolean;
  lockedUntil: string | null;
}

describe('the users screen in a real browser: create, change role, disable, lock state, unlock, reset', () => {
  let server: RunningServer;
  let browser: Browser;
  const accounts: Record<string, CliAccount> = {};

  beforeAll(async () => {
    server = await startRealServer();
    browser = await launchChromium();
    const dbPath = join(server.dataDir, 'hotline.db');
    accounts.desk = addAccountWithCli(dbPath, 'users-desk', 'admin');
    accounts.phone = addAccountWithCli(dbPath, 'users-phone', 'admin');
    accounts.lou = addAccountWithCli(dbPath, 'lou', 'analyst');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const open = (viewport: keyof typeof viewports, account: CliAccount) =>
    openSignedIn(browser, server.baseUrl, viewport, account);

  const signInOverApi = (username: string, password: string, totp: string) =>
    fetch(`${server.baseUrl}/api/v1/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Sec-Fetch-Site': 'same-origin' },
      body: JSON.stringify({ username, password, totp }),
    });
  const api = <T>(page: Page, path: string) =>
    page.evaluate(async (p) => (await fetch(`/api/v1${p}`)).json(), path) as Promise<T>;
  const userNamed = async (page: Page, username: string) =>
    (await api<{ users: UserView[] }>(page, '/users')).users.find((u) => u.username === username) as UserView;
  const auditActions = async (page: Page, id: number) =>
    (await api<{ events: { action: string }[] }>(page, `/audit?object=user:${id}`)).events.map((e) => e.action);

  it('creates an account, changes its role, disables and enables it (desktop)', async () => {
    const { context, page, csp } = await open('desktop', accounts.desk as CliAccount);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    await page.getByRole('row', { name: /lou/ }).waitFor();
    // Nobody is locked: no row offers to unlock.
    expect(await page.getByRole('button', { name: /^Unlock/ }).count()).toBe(0);

    await page.getByLabel('Username', { exact: true }).fill('nora');
    await page.getByLabel('Role', { exact: true }).selectOption('analyst');
    await page.getByLabel('Temporary password', { exact: true }).fill('a sturdy temporary passphrase 42');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Account nora created' }).waitFor();
    const nora = await userNamed(page, 'nora');
    expect(nora).toMatchObject({ role: 'analyst', disabled: false, lockedUntil: null });

    await page.getByLabel('Role of nora').selectOption('supervisor');
    await expect.poll(async () => (await userNamed(page, 'nora')).role).toBe('supervisor');
    await page.getByRole('button', { name: 'Disable nora' }).click();
    await page.getByRole('button', { name: 'Enable nora' }).waitFor();
    expect(await page.getByRole('row', { name: /nora/ }).getByRole('cell').nth(1).textContent()).toBe('Disabled');
    expect((await userNamed(page, 'nora')).disabled).toBe(true);
    await page.getByRole('button', { name: 'Enable nora' }).click();
    await page.getByRole('button', { name: 'Disable nora' }).waitFor();
    expect((await userNamed(page, 'nora')).disabled).toBe(false);
    expect(await auditActions(page, nora.id)).toEqual([
      'user.enable',
      'user.disable',
      'user.role_change',
      'user.create',
    ]);
    await expectAccessible(page, 'users-managed');
    expect(csp).toEqual([]);
    await context.close();
  }, 120_000);

  it('shows a locked account as locked, unlocks it alone, and resets another (phone, French)', async () => {
    const lou = accounts.lou as CliAccount;
    // Five wrong passwords lock lou's account, as they would for anyone guessing.
    for (let n = 0; n < 5; n++) expect((await signInOverApi(lou.username, 'wrong guess', '000000')).status).toBe(401);

    const { context, page, csp } = await open('phone', accounts.phone as CliAccount);
    await page.getByLabel('Language').selectOption('fr');
    await page.getByRole('heading', { name: 'File d’attente', level: 1 }).waitFor();
    await page.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: 'Utilisateurs' }).click();
    const row = page.getByRole('row', { name: /lou/ });
    await row.waitFor();
    const locked = await userNamed(page, 'lou');
    expect(Date.parse(locked.lockedUntil ?? '')).toBeGreaterThan(Date.now());
    expect(await row.getByRole('cell').nth(1).textContent()).toMatch(/^Bloqué jusqu’à /);
    // Only the locked account offers to unlock.
    expect(await page.getByRole('button', { name: /^Débloquer/ }).allTextContents()).toEqual(['Débloquer lou']);
    await expectAccessible(page, 'users-locked-fr');

    await page.getByRole('button', { name: 'Débloquer lou' }).click();
    await expect.poll(() => page.getByRole('button', { name: /^Débloquer/ }).count()).toBe(0);
    expect(await row.getByRole('cell').nth(1).textContent()).toBe('Actif');
    expect((await userNamed(page, 'lou')).lockedUntil).toBeNull();
    expect((await auditActions(page, locked.id))[0]).toBe('user.unlock');
    // Unlocked: the owner signs in with the password and code they had.
    expect((await signInOverApi(lou.username, lou.password, totpNow(lou.totpSecret))).status).toBe(200);

    // Reset: a new temporary password and TOTP secret, shown once; the old password no longer works.
    const temporary = 'another sturdy temporary passphrase 7';
    await page.getByLabel('Nouveau mot de passe temporaire pour lou').fill(temporary);
    await page.getByRole('button', { name: 'Réinitialiser lou' }).click();
    const done = page.getByRole('status').filter({ hasText: 'Compte lou réinitialisé' });
    await done.waitFor();
    const secret = /secret TOTP : ([A-Z2-7]{16,})/.exec((await done.textContent()) ?? '')?.[1] as string;
    expect(secret).not.toBe(lou.totpSecret);
    expect((await auditActions(page, locked.id))[0]).toBe('user.reset');
    const code = generateSync({ secret, epoch: Math.floor(Date.now() / 1000) });
    expect((await signInOverApi(lou.username, lou.password, code)).status).toBe(401);
    const fresh = await signInOverApi(lou.username, temporary, code);
    expect(fresh.status).toBe(200);
    expect((await fresh.json()).mustChangePassword).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await expectAccessible(page, 'users-reset-fr');
    expect(csp).toEqual([]);
    await context.close();
  }, 120_000);
});
