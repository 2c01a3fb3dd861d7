import type { Browser } from 'playwright-core';
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
    await page.getByRole('button', { name: 'Nagaan' }).click();
    await expect.poll(() => page.textContent('.status')).toContain('Ontvangen');
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
    await page.getByLabel('Something else').first().check();
    await page.getByLabel('A website', { exact: true }).check();
    await page.getByLabel('Images', { exact: true }).check();
    await page.getByRole('button', { name: 'Send the report' }).click();
    await page.waitForSelector('#receipt');
    expect(await seriousViolations(page), 'receipt page').toEqual([]);
    await page.goto(`${server.baseUrl}/status?lang=en`);
    expect(await seriousViolations(page), 'status page').toEqual([]);
    await context.close();
  });
});
