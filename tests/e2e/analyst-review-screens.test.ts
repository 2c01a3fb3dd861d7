import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/axe.ts';
import { launchChromium } from '../support/browser.ts';
import { type RunningServer, startRealServer } from '../support/server.ts';
import { syntheticImage } from '../support/synthetic-images.ts';
import { type ContractApi, routeReviewApi } from './analyst-contract-api.ts';
import { addAccountWithCli, type CliAccount, keepScreenshot, totpNow } from './analyst-support.ts';

// The screens that need the review API (src/review, built in parallel), against its contract as
// analyst-ui/src/api.ts types it. Sign-in and sessions are the real server's.
describe('the analyst review screens against the review API contract', () => {
  let server: RunningServer;
  let browser: Browser;
  let view: Buffer;
  const accounts: CliAccount[] = [];

  beforeAll(async () => {
    server = await startRealServer();
    browser = await launchChromium();
    view = await syntheticImage(7, { format: 'jpeg' });
    for (const name of ['desk-analyst', 'phone-analyst', 'list-analyst', 'new-analyst']) {
      accounts.push(addAccountWithCli(join(server.dataDir, 'hotline.db'), name, 'supervisor'));
    }
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function signIn(account: CliAccount, viewport: { width: number; height: number }) {
    const context = await browser.newContext({ viewport, locale: 'en-GB' });
    const page = await context.newPage();
    const api = await routeReviewApi(page, view);
    await page.goto(`${server.baseUrl}/analyst/`);
    await page.getByLabel('Username').fill(account.username);
    await page.getByLabel('Password').fill(account.password);
    await page.getByLabel('Code from your authenticator app').fill(totpNow(account.totpSecret));
    return { context, page, api, submit: () => page.getByRole('button', { name: 'Sign in' }).click() };
  }

  async function signedIn(account: CliAccount, viewport: { width: number; height: number }) {
    const { submit, ...session } = await signIn(account, viewport);
    await submit();
    await session.page.getByRole('heading', { name: 'Queue', level: 1 }).waitFor();
    return session;
  }

  async function expectAccessible(page: Page, screen: string) {
    expect(await seriousViolations(page), screen).toEqual([]);
    await keepScreenshot(page, screen);
  }

  const callsTo = (api: ContractApi, method: string, path: string) =>
    api.calls.filter((c) => c.method === method && c.path === path);

  for (const [name, viewport, account] of [
    ['desktop', { width: 1280, height: 800 }, 0],
    ['phone', { width: 360, height: 740 }, 1],
  ] as const) {
    it(`Home, Next, the item with its evidence and safe view, and Submit & next (${name})`, async () => {
      const { context, page, api } = await signedIn(accounts[account] as CliAccount, viewport);
      await page.getByRole('term').filter({ hasText: 'Known' }).waitFor();
      expect(await page.getByText('100 of 120 minutes').isVisible()).toBe(true);
      expect(await page.getByText('You have used 80% of today’s viewing time.').isVisible()).toBe(true);
      await expectAccessible(page, `review-home-${name}`);

      api.nextItems.push(4);
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByRole('heading', { name: 'Item 4', level: 1 }).waitFor();
      await page.getByRole('heading', { name: 'Reports (2)' }).waitFor();
      const match = page.getByText(
        /partner-list: Illegal everywhere.*distance 12 \(pdq, variant rotate90\), from import/,
      );
      expect(await match.isVisible()).toBe(true);
      expect(await page.getByText('The site’s TLS certificate was not valid.').isVisible()).toBe(true);
      expect(await page.getByRole('link', { name: 'Item 3' }).getAttribute('href')).toBe('#/items/3');
      expect(await page.getByText('Videos are never shown here. Exact hashes:').isVisible()).toBe(true);
      expect(await page.getByText('Pre-filled from partner-list (pdq 12)').isVisible()).toBe(true);
      // The item's own trail comes from the real audit API, which has nothing about this item.
      await page.getByText('No event about this item yet.').waitFor();
      // No imagery is requested before the analyst asks for it.
      expect(api.calls.filter((c) => c.path.endsWith('/view'))).toEqual([]);
      await expectAccessible(page, `review-item-${name}`);

      await page.getByRole('button', { name: 'Show the blurred view' }).click();
      await page.getByRole('img', { name: 'Medium 1, blurred level 48, in greyscale' }).waitFor();
      await page.getByRole('button', { name: 'Lower the blur one step' }).click();
      await page.getByRole('img', { name: 'Medium 1, blurred level 24, in greyscale' }).waitFor();
      // The shortcut `b` lowers it one more step (the focus is on the button, not in a field).
      await page.keyboard.press('b');
      await page.getByRole('img', { name: 'Medium 1, blurred level 12, in greyscale' }).waitFor();
      const views = api.calls.filter((c) => c.path === '/items/4/media/1/view');
      expect(views.map((v) => [v.query.get('blur'), v.query.get('grey')])).toEqual([
        ['48', '1'],
        ['24', '1'],
        ['12', '1'],
      ]);

      // Pre-filled from the match; the rest is still needed, and the button says which.
      const submit = page.getByRole('button', { name: 'Submit & next' });
      expect(await submit.isDisabled()).toBe(true);
      const reason = page.getByText(/^Submit is disabled: choose Media type, Age group of the victim/);
      expect(await reason.isVisible()).toBe(true);
      expect(await submit.getAttribute('aria-describedby')).toBe('submit-reason');
      await expectAccessible(page, `review-decision-${name}`);
      await page.getByLabel('Media type').selectOption('image');
      await page.getByLabel('Age group of the victim').selectOption('prepubescent');
      await page.getByLabel('Gender of the victim').selectOption('unknown');
      await page.getByLabel('Site type').selectOption('image_host');
      await page.getByLabel('Depiction').selectOption('other');
      await page.getByLabel('Comment', { exact: true }).fill('Same series as item 3');
      expect(await reason.count()).toBe(0);
      await submit.click();

      // Submitted, then "Next" again: nothing waits, so Home says so.
      await page.getByRole('status').filter({ hasText: 'Nothing waits in the queue.' }).waitFor();
      const [assessment] = callsTo(api, 'POST', '/items/4/assessments');
      expect(assessment?.body).toEqual({
        legalStatus: 'baseline',
        content: 'real_abuse',
        mediaType: 'image',
        victimAgeGroup: 'prepubescent',
        victimGender: 'unknown',
        siteType: 'image_host',
        depiction: 'other',
        comment: 'Same series as item 3',
      });
      expect(assessment?.csrf).toMatch(/\S{16,}/);
      // A decided item is not released: the decision ended the claim.
      expect(callsTo(api, 'POST', '/items/4/release')).toEqual([]);
      await context.close();
    });
  }

  it('never blocks not illegal, gone or skip; releases a claimed item left undecided; confirms another’s assessment', async () => {
    const { context, page, api } = await signedIn(accounts[2] as CliAccount, { width: 1280, height: 800 });
    api.nextItems.push(4, 5, 6, 7);
    const open = async (id: number) => {
      await page.keyboard.press('n');
      await page.getByRole('heading', { name: `Item ${id}`, level: 1 }).waitFor();
    };

    await open(4);
    await page.getByLabel('Legal status').selectOption('');
    expect(await page.getByRole('button', { name: 'Submit & next' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Not illegal' }).click();
    await page.getByRole('heading', { name: 'Item 5', level: 1 }).waitFor();
    expect(callsTo(api, 'POST', '/items/4/assessments')[0]?.body).toEqual({ legalStatus: 'not_illegal' });

    await page.getByRole('button', { name: 'Gone' }).click();
    await page.getByRole('heading', { name: 'Item 6', level: 1 }).waitFor();
    expect(callsTo(api, 'POST', '/items/5/assessments')[0]?.body).toEqual({ outcome: 'gone' });

    await page.getByLabel('Reason for skipping').selectOption('exposure');
    await page.getByRole('button', { name: 'Skip', exact: true }).click();
    await page.getByRole('heading', { name: 'Item 7', level: 1 }).waitFor();
    expect(callsTo(api, 'POST', '/items/6/skip')[0]?.body).toEqual({ reason: 'exposure' });

    // Leaving item 7 for the list releases its claim; the list pages on with the server's cursor.
    await page.keyboard.press('l');
    await page.getByRole('heading', { name: 'Items', level: 1 }).waitFor();
    await expect.poll(() => callsTo(api, 'POST', '/items/7/release').length).toBe(1);
    await page.getByLabel('State').selectOption('known');
    await page.getByLabel('Matched in a bank').selectOption('yes');
    await page.getByLabel('Hosting country').fill('NL');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect
      .poll(() => Object.fromEntries(callsTo(api, 'GET', '/items').at(-1)?.query ?? []))
      .toEqual({ state: 'known', country: 'NL', matched: 'yes' });
    await page.getByRole('button', { name: 'More items' }).click();
    await page.getByRole('link', { name: 'Item 5' }).waitFor();
    expect(callsTo(api, 'GET', '/items').at(-1)?.query.get('cursor')).toBe('after-8');
    expect(await page.getByRole('button', { name: 'More items' }).count()).toBe(0);
    await expectAccessible(page, 'review-items');

    await page.keyboard.press('c');
    await page.getByRole('heading', { name: 'To confirm', level: 1 }).waitFor();
    await expect.poll(() => callsTo(api, 'GET', '/items').at(-1)?.query.get('state')).toBe('to_confirm');
    await page.getByRole('link', { name: 'Item 9' }).click();
    await page.getByText(/Waiting for confirmation by someone-else/).waitFor();
    await expectAccessible(page, 'review-confirm');
    await page.getByLabel('Comment on this assessment').fill('Agreed: posed, not explicit');
    await page.getByRole('button', { name: 'Confirm', exact: true }).click();
    await expect
      .poll(() => callsTo(api, 'POST', '/assessments/77/confirm')[0]?.body)
      .toEqual({
        comment: 'Agreed: posed, not explicit',
      });
    // Opened from the list, not claimed: leaving it releases nothing.
    await page.keyboard.press('h');
    await page.getByRole('heading', { name: 'Queue', level: 1 }).waitFor();
    expect(callsTo(api, 'POST', '/items/9/release')).toEqual([]);
    await context.close();
  });

  it('makes an account with a temporary password choose its own before anything else', async () => {
    const { context, page, submit } = await signIn(accounts[3] as CliAccount, { width: 360, height: 740 });
    // The real sign-in, with the flag the review API adds for such an account.
    await page.route('**/api/v1/session', async (route) => {
      if (route.request().method() !== 'POST') return route.fallback();
      const response = await route.fetch();
      await route.fulfill({ response, json: { ...(await response.json()), mustChangePassword: true } });
    });
    const sent: unknown[] = [];
    await page.route('**/api/v1/session/password', async (route) => {
      sent.push(route.request().postDataJSON());
      await route.fulfill({ status: 204 });
    });
    await submit();
    await page.getByRole('heading', { name: 'Choose your own password', level: 1 }).waitFor();
    expect(await page.getByRole('navigation').count()).toBe(0);
    await expectAccessible(page, 'change-password');

    await page.getByLabel('Current password').fill('the temporary one');
    await page.getByLabel('New password', { exact: true }).fill('my own long passphrase');
    await page.getByLabel('New password again').fill('my own long passphrase!');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('alert').filter({ hasText: 'The two new passwords are not the same.' }).waitFor();
    expect(sent).toEqual([]);

    await page.getByLabel('New password again').fill('my own long passphrase');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('heading', { name: 'Queue', level: 1 }).waitFor();
    expect(sent).toEqual([{ current: 'the temporary one', new: 'my own long passphrase' }]);
    await context.close();
  });
});
