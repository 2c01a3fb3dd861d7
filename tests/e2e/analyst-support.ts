import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { generateSync } from 'otplib';
import type { Browser, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { seriousViolations } from '../support/axe.ts';

export interface CliAccount {
  username: string;
  password: string;
  totpSecret: string;
}

/** Makes an account with the operator CLI, on the database of a running server. */
export function addAccountWithCli(dbPath: string, username: string, role: string): CliAccount {
  const password = 'correct horse battery staple on seven moons';
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', 'src/cli/index.ts', 'user', 'add', username, '--role', role, '--password-stdin'],
    { input: password, env: { ...process.env, HOTLINE_DB: dbPath, HOTLINE_LOG_LEVEL: 'silent' }, encoding: 'utf8' },
  );
  const { totpSecret } = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as { totpSecret: string };
  return { username, password, totpSecret };
}

/** The current TOTP code of a secret, by the real clock the server also uses. */
export const totpNow = (secret: string) => generateSync({ secret, epoch: Math.floor(Date.now() / 1000) });

/** The widths every screen is checked at: a desktop and a phone. */
export const viewports = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 360, height: 740 },
};

const artefactDir = join('test-results', 'analyst-ui');

/** Keeps a screenshot of the page as a test artefact (git-ignored). */
export async function keepScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(artefactDir, { recursive: true });
  const size = page.viewportSize();
  await page.screenshot({ path: join(artefactDir, `${name}-${size?.width}x${size?.height}.png`), fullPage: true });
}

/** Collects the page's Content-Security-Policy complaints, to prove the app needs no exception. */
export function cspViolations(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) seen.push(message.text());
  });
  return seen;
}

/** Whether the element holds the keyboard focus. */
export const hasFocus = (locator: Locator) => locator.evaluate((el) => el.matches(':focus'));

/** Fills the sign-in form and submits it, with the current TOTP code unless told another. */
export async function fillSignIn(page: Page, account: CliAccount, code = totpNow(account.totpSecret)): Promise<void> {
  await page.getByLabel('Username').fill(account.username);
  await page.getByLabel('Password').fill(account.password);
  await page.getByLabel('Code from your authenticator app').fill(code);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** axe finds nothing serious on the screen; a screenshot of it is kept. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  expect(await seriousViolations(page), screen).toEqual([]);
  await keepScreenshot(page, screen);
}

/** Signs in on the app's sign-in screen with password and the current TOTP code. */
export async function signIn(page: Page, baseUrl: string, account: CliAccount): Promise<void> {
  await page.goto(`${baseUrl}/analyst/`);
  await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
  await fillSignIn(page, account);
  await page.getByRole('heading', { name: 'Queue', level: 1 }).waitFor();
}

/** A new browser context at one of the two widths, signed in as `account`; the page's CSP complaints are collected. */
export async function openSignedIn(
  browser: Browser,
  baseUrl: string,
  viewport: keyof typeof viewports,
  account: CliAccount,
) {
  const context = await browser.newContext({ viewport: viewports[viewport], locale: 'en-GB' });
  const page = await context.newPage();
  const csp = cspViolations(page);
  await signIn(page, baseUrl, account);
  return { context, page, csp };
}

/** Calls the JSON API from the page, with the session's cookie and CSRF token. */
export function callApi(
  page: Page,
  method: string,
  path: string,
  body?: unknown,
  // biome-ignore lint/suspicious/noExplicitAny: the JSON answers of many routes, read by the tests
): Promise<{ status: number; body: any }> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const session = await (await fetch('/api/v1/session')).json();
      const res = await fetch(`/api/v1${path}`, {
        method,
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrfToken },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: res.status === 204 ? null : await res.json() };
    },
    { method, path, body },
  );
}

/** A public report through the JSON intake API of the server at `baseUrl`. */
export async function reportThroughApi(baseUrl: string, report: { urls: string[]; contact?: string }): Promise<void> {
  const res = await fetch(`${baseUrl}/api/v1/reports`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ category: 'csam', siteType: 'website', mediaType: 'image', ...report }),
  });
  if (res.status !== 201) throw new Error(`report refused: ${res.status} ${await res.text()}`);
}
