import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { generateSync } from 'otplib';
import type { Locator, Page } from 'playwright-core';

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
