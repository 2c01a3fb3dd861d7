import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/axe.ts';
import { launchChromium } from '../support/browser.ts';
import { type RunningServer, startRealServer } from '../support/server.ts';

describe('the public form in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startRealServer();
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('works in Dutch with JavaScript disabled: report two addresses, read the receipt, check the status', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'nl-BE' });
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/`);
    expect(await page.getAttribute('html', 'lang')).toBe('nl');
    await page.getByLabel('Webadressen').fill('https://example.com/gallery/7\nhxxp://example[.]org/forum/thread-12');
    await page.getByText('Meer vertellen (optioneel)').click();
    await page.getByLabel("Beelden of video's van seksueel misbruik van een kind").check();
    await page.getByLabel('Een forum', { exact: true }).check();
    await page.getByLabel('Afbeeldingen', { exact: true }).check();
    await page.getByRole('button', { name: 'Melding versturen' }).click();
    await page.waitForSelector('#receipt');
    const receipt = (await page.textContent('#receipt'))?.trim() ?? '';
    expect(receipt).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){5}$/);
    expect(page.url()).not.toContain(receipt);
    expect(await context.cookies()).toEqual([]);

    await page.getByRole('link', { name: 'De status van een melding nagaan' }).click();
    await page.getByLabel('Ontvangstcode').fill(receipt.toLowerCase());
    // The language switch of the status page keeps the code being typed.
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.getByLabel('Receipt code').inputValue()).toBe(receipt.toLowerCase());
    await page.getByRole('button', { name: 'Check' }).click();
    await expect.poll(() => page.textContent('.status')).toContain('Received');
    expect(page.url()).not.toContain(receipt);
    await context.close();
  });

  it('shows errors in a linked summary without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/?lang=en`);
    await page.getByLabel('Web addresses').fill('javascript:alert(1)');
    await page.getByRole('button', { name: 'Send the report' }).click();
    const summary = page.locator('.error-summary');
    await expect.poll(() => summary.isVisible()).toBe(true);
    expect(await summary.locator('a[href="#field-urls"]').count()).toBe(1);
    expect(await page.inputValue('#urls')).toBe('javascript:alert(1)');
    await context.close();
  });

  it('has no serious or critical accessibility violation on the form, error, receipt and status pages', async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    for (const lang of ['fr', 'nl', 'en', 'de']) {
      await page.goto(`${server.baseUrl}/?lang=${lang}`);
      expect(await seriousViolations(page), `form ${lang}`).toEqual([]);
    }
    await page.goto(`${server.baseUrl}/?lang=en`);
    await page.getByRole('button', { name: 'Send the report' }).click();
    await page.waitForSelector('.error-summary');
    expect(await seriousViolations(page), 'error page').toEqual([]);
    await page.getByLabel('Web addresses').fill('https://example.com/a11y');
    await page.getByText('Tell us more (optional)').click();
    await page.getByLabel('Something else').first().check();
    await page.getByLabel('A website', { exact: true }).check();
    await page.getByLabel('Images', { exact: true }).check();
    await page.getByRole('button', { name: 'Send the report' }).click();
    await page.waitForSelector('#receipt');
    expect(await seriousViolations(page), 'receipt page').toEqual([]);
    await page.goto(`${server.baseUrl}/status?lang=en`);
    expect(await seriousViolations(page), 'status page').toEqual([]);
    for (const lang of ['fr', 'nl', 'en', 'de']) {
      await page.goto(`${server.baseUrl}/next?lang=${lang}`);
      expect(await seriousViolations(page), `next page ${lang}`).toEqual([]);
    }
    await context.close();
  }, 120_000);
});

describe("the reporter's minute, in every language, on a phone and a desktop, with and without JavaScript", () => {
  let server: RunningServer;
  let browser: Browser;
  const receipts: string[] = [];

  beforeAll(async () => {
    server = await startRealServer({ HOTLINE_REPORT_LIMIT: '1000' });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const reportCount = () => {
    const db = new Database(join(server.dataDir, 'hotline.db'), { readonly: true });
    try {
      return (db.prepare('select count(*) as n from reports').get() as { n: number }).n;
    } finally {
      db.close();
    }
  };
  const receiptOn = async (page: Page) => {
    await page.waitForSelector('#receipt');
    return (await page.textContent('#receipt'))?.trim() ?? '';
  };
  const sendButton = (page: Page) => page.locator('#report-form > button[type="submit"]');

  const languages = ['fr', 'nl', 'en', 'de'] as const;
  const screens = [
    { width: 360, height: 740 },
    { width: 1280, height: 800 },
  ];
  for (const viewport of screens) {
    for (const javaScriptEnabled of [true, false]) {
      for (const lang of languages) {
        const other = languages[(languages.indexOf(lang) + 1) % languages.length];
        it(`${lang} at ${viewport.width}x${viewport.height}, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, async () => {
          const context = await browser.newContext({ viewport, javaScriptEnabled });
          const page = await context.newPage();
          await page.goto(`${server.baseUrl}/?lang=${lang}`);
          const box = await page.locator('#urls').boundingBox();
          expect(box?.y).toBeLessThan(740);
          expect((await sendButton(page).boundingBox())?.y).toBeLessThan(740);

          // The language switch keeps what was typed, there and back.
          const typed = `https://example.com/minute/${lang}/${viewport.width}/${javaScriptEnabled}`;
          await page.fill('#urls', typed);
          await page.click(`button[name="switchTo"][value="${other}"]`);
          await expect.poll(() => page.getAttribute('html', 'lang')).toBe(other);
          expect(await page.inputValue('#urls')).toBe(typed);
          await page.click(`button[name="switchTo"][value="${lang}"]`);
          await expect.poll(() => page.getAttribute('html', 'lang')).toBe(lang);
          expect(await page.inputValue('#urls')).toBe(typed);

          // One address and nothing else is a report; reload and a second send show the same receipt.
          const before = reportCount();
          await sendButton(page).click();
          const receipt = await receiptOn(page);
          expect(receipt).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){5}$/);
          receipts.push(receipt);
          expect(page.url()).not.toContain(receipt.slice(0, 4));
          await page.reload();
          expect(await receiptOn(page)).toBe(receipt);
          await page.click(`button[name="switchTo"][value="${other}"]`);
          await expect.poll(() => page.getAttribute('html', 'lang')).toBe(other);
          expect(await receiptOn(page)).toBe(receipt);
          expect(reportCount()).toBe(before + 1);
          if (javaScriptEnabled) {
            expect(await page.locator('button.copy').isVisible()).toBe(true);
            expect(await seriousViolations(page), 'receipt').toEqual([]);
          }
          // The code is on one line, even on a phone.
          const code = await page.locator('.receipt-code').boundingBox();
          const lineHeight = await page.locator('#receipt').evaluate((el) => el.getBoundingClientRect().height);
          expect(code?.width ?? 0).toBeLessThanOrEqual(viewport.width);
          expect(lineHeight).toBeLessThan(40);
          expect(await context.cookies()).toEqual([]);
          await context.close();
        });
      }
    }
  }

  for (const javaScriptEnabled of [true, false]) {
    it(`shows the same receipt after the back button, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, async () => {
      const context = await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled });
      const page = await context.newPage();
      await page.goto(`${server.baseUrl}/?lang=fr`);
      await page.fill('#urls', `https://example.com/back/${javaScriptEnabled}`);
      const before = reportCount();
      await sendButton(page).click();
      const receipt = await receiptOn(page);
      receipts.push(receipt);
      await page.getByRole('link', { name: 'Et maintenant : comment nous traitons votre signalement' }).click();
      await page.waitForURL(/\/next/);
      // The receipt page is never cached (no-store keeps it off a shared device's disk), so the
      // browser asks to send the form again; doing so sends the same form token: the same receipt.
      await page
        .goBack({ waitUntil: 'commit' })
        .catch((error: Error) => expect(error.message).toContain('ERR_CACHE_MISS'));
      // Send it again (the reload of the browser's "confirm resubmission" page), until the page is attached.
      const sentAgain = () =>
        page.reload({ timeout: 5_000 }).then(
          () => page.locator('#receipt').textContent({ timeout: 2_000 }),
          () => null,
        );
      await expect.poll(sentAgain, { timeout: 30_000 }).toBe(receipt);
      expect(reportCount()).toBe(before + 1);
      await context.close();
    }, 60_000);
  }

  it('sends a double-clicked form once, and moves focus to the error summary with JavaScript', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/?lang=en`);
    await page.fill('#urls', 'https://example.com/double');
    const before = reportCount();
    await sendButton(page).dblclick();
    const receipt = await receiptOn(page);
    expect(reportCount()).toBe(before + 1);
    receipts.push(receipt);

    await page.goto(`${server.baseUrl}/?lang=de`);
    await page.fill('#urls', 'someone@example.invalid');
    await sendButton(page).click();
    await page.waitForSelector('.error-summary');
    expect(await page.title()).toMatch(/^Fehler: /);
    await expect
      .poll(() => page.locator('.error-summary').evaluate((el) => el === el.ownerDocument.activeElement))
      .toBe(true);
    expect(await page.textContent('.error-summary')).toContain('Zeile 1: Dies sieht wie eine E-Mail-Adresse aus');
    await context.close();
  });

  it('leaves no receipt in clear in the database, its WAL or the logs', () => {
    expect(receipts.length).toBeGreaterThan(16);
    const files = ['hotline.db', 'hotline.db-wal'].map((name) => join(server.dataDir, name)).filter(existsSync);
    const haystacks = [...files.map((file) => readFileSync(file).toString('latin1')), server.output()];
    for (const receipt of receipts) {
      for (const haystack of haystacks) {
        expect(haystack).not.toContain(receipt);
        expect(haystack).not.toContain(receipt.replaceAll('-', ''));
      }
    }
  });
});
