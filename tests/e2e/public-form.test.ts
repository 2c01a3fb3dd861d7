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
    const receipt = (await page.textContent('#receipt'))?.trim() ?? '';
    await page.goto(`${server.baseUrl}/status?lang=en`);
    expect(await seriousViolations(page), 'status page').toEqual([]);
    await page.getByLabel('Receipt code').fill(receipt);
    await page.getByRole('button', { name: 'Check' }).click();
    await page.waitForSelector('.status-result');
    expect(await seriousViolations(page), 'status result page').toEqual([]);
    await page.getByLabel('Receipt code').fill('ABCD-EFGH-JKMN-PQRS-TVWX-YZ23');
    await page.getByRole('button', { name: 'Check' }).click();
    await page.waitForSelector('.error-summary');
    expect(await seriousViolations(page), 'status not found page').toEqual([]);
    await page.goto(`${server.baseUrl}/no-such-page?lang=en`);
    expect(await page.title()).toMatch(/^Error: /);
    expect(await seriousViolations(page), 'shared error page').toEqual([]);
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
  const receiptIn = (html: string) => /<output id="receipt">([^<]+)<\/output>/.exec(html)?.[1];

  /**
   * Clicks send twice: the first post reaches the server, but its answer is held back until the
   * second post is out (as when a slow answer makes someone click again). The browser shows the
   * second answer; the first's receipt is read from its held answer.
   */
  const sendTwice = async (page: Page) => {
    let posts = 0;
    let firstAnswer: Promise<string> | undefined;
    let secondOut = () => {};
    const second = new Promise<void>((resolve) => {
      secondOut = resolve;
    });
    await page.route(/\/report(\?|$)/, async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      posts++;
      if (posts > 1) {
        secondOut();
        return route.continue();
      }
      const response = route.fetch();
      firstAnswer = response.then((answer) => answer.text());
      await second;
      // The browser has dropped this navigation for the second one.
      await route.fulfill({ response: await response }).catch(() => {});
    });
    // Raw clicks where the button is, as a person clicks: while the first post is out the page is
    // between documents, and a locator's click would wait for the next one.
    await sendButton(page).scrollIntoViewIfNeeded();
    const box = await sendButton(page).boundingBox();
    if (!box) throw new Error('no send button');
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(() => posts).toBe(1);
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await receiptOn(page);
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    return { posts, firstReceipt: receiptIn((await firstAnswer) ?? '') };
  };

  /**
   * Goes back to the receipt page. It is never cached (no-store keeps it off a shared device's
   * disk), so the browser asks to send the form again; doing so (a reload of the browser's
   * "confirm resubmission" page) sends the same form token: the same receipt.
   */
  const backToReceipt = async (page: Page, receipt: string) => {
    await page
      .goBack({ waitUntil: 'commit' })
      .catch((error: Error) => expect(error.message).toContain('ERR_CACHE_MISS'));
    const sentAgain = () =>
      page.reload({ timeout: 5_000 }).then(
        () => page.locator('#receipt').textContent({ timeout: 2_000 }),
        () => null,
      );
    await expect.poll(sentAgain, { timeout: 30_000 }).toBe(receipt);
  };

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

          // One address and nothing else is a report. Sent twice (two real posts of the form, the
          // second while the first is still out), it shows the first post's receipt: one report.
          const before = reportCount();
          const sent = await sendTwice(page);
          expect(sent.posts).toBe(2);
          const receipt = await receiptOn(page);
          expect(receipt).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){5}$/);
          expect(sent.firstReceipt).toBe(receipt);
          receipts.push(receipt);
          expect(page.url()).not.toContain(receipt.slice(0, 4));
          expect(reportCount()).toBe(before + 1);
          if (javaScriptEnabled) {
            expect(await page.locator('button.copy').isVisible()).toBe(true);
            expect(await seriousViolations(page), 'receipt').toEqual([]);
          }

          // Reload, back (after a visit to the next page) and the language switch: the same receipt.
          await page.reload();
          expect(await receiptOn(page)).toBe(receipt);
          await page.locator('a[href^="/next"]').first().click();
          await page.waitForURL(/\/next/);
          if (javaScriptEnabled) expect(await seriousViolations(page), 'next').toEqual([]);
          await backToReceipt(page, receipt);
          await page.click(`button[name="switchTo"][value="${other}"]`);
          await expect.poll(() => page.getAttribute('html', 'lang')).toBe(other);
          expect(await receiptOn(page)).toBe(receipt);
          expect(reportCount()).toBe(before + 1);

          // The code is on one line inside its frame, and nothing scrolls sideways, down to 320 px.
          for (const width of viewport.width === 360 ? [360, 320] : [viewport.width]) {
            await page.setViewportSize({ width, height: viewport.height });
            const code = await page.locator('#receipt').boundingBox();
            const frame = await page.locator('.receipt-code').boundingBox();
            if (!code || !frame) throw new Error('no receipt code on the page');
            expect(code.x, `${width}`).toBeGreaterThanOrEqual(frame.x);
            expect(code.x + code.width, `${width}`).toBeLessThanOrEqual(frame.x + frame.width);
            expect(code.height, `${width}`).toBeLessThan(40);
            const [scrollWidth, clientWidth] = await page
              .locator('html')
              .evaluate((html) => [html.scrollWidth, html.clientWidth]);
            expect(scrollWidth, `${width}`).toBeLessThanOrEqual(clientWidth as number);
          }
          expect(await context.cookies()).toEqual([]);
          await context.close();
        });
      }
    }
  }

  it('moves focus to the error summary with JavaScript', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
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
    expect(receipts.length).toBeGreaterThanOrEqual(16);
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
