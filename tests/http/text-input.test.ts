import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { cleanText, isCleanText } from '../../src/http/validation.ts';
import { createTestApp, formTokenOf } from '../support/app.ts';
import { countRows } from '../support/db.ts';

describe('isCleanText', () => {
  it('refuses lone surrogates and control characters, and allows line breaks and tabs only in multi-line text', () => {
    for (const good of ['', 'plain', 'Café crème 😀', 'ünïcødé 中文', '\u200b zero width']) {
      expect(isCleanText(good), good).toBe(true);
    }
    for (const bad of [
      '\ud800',
      'a\udc00b',
      'x\ud83d',
      'nul\u0000',
      'bell\u0007',
      'del\u007f',
      'c1\u0085',
      'esc\u001b[31m',
    ]) {
      expect(isCleanText(bad), JSON.stringify(bad)).toBe(false);
      expect(isCleanText(bad, true), JSON.stringify(bad)).toBe(false);
    }
    expect(isCleanText('two\nlines\r\n\tindented')).toBe(false);
    expect(isCleanText('two\nlines\r\n\tindented', true)).toBe(true);
  });

  it('is a zod check whose message is a catalogue key', () => {
    const result = z.object({ name: cleanText() }).safeParse({ name: 'a\u0000' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('error.text.invalid');
  });
});

const valid = { urls: ['https://www.example.com/a'], category: 'csam', siteType: 'website', mediaType: 'image' };
// JSON text as a client would send it: the escape `\ud800` is a lone surrogate once parsed.
const jsonWith = (field: string, escaped: string) =>
  JSON.stringify({ ...valid, [field]: field === 'urls' ? ['PLACEHOLDER'] : 'PLACEHOLDER' }).replace(
    'PLACEHOLDER',
    escaped,
  );

describe('text inputs of the public API, the form and the login', () => {
  const cases: [string, string][] = [
    ['description', 'seen here \\ud800'],
    ['description', 'nul \\u0000 inside'],
    ['urls', 'https://example.com/\\ud800'],
    ['urls', 'https://example.com/\\u0000x'],
    ['contact', 'me\\u0000@example.net'],
  ];
  for (const [field, escaped] of cases) {
    it(`refuses ${escaped} in ${field} with a 400 naming the field, storing nothing`, async () => {
      const t = createTestApp();
      const res = await request(t.app)
        .post('/api/v1/reports')
        .set('Content-Type', 'application/json')
        .set('Accept-Language', 'en')
        .send(jsonWith(field, escaped))
        .expect(400);
      expect(res.body.error).toBe('validation');
      expect(Object.keys(res.body.fields)).toEqual([field]);
      expect(countRows(t.database, 'reports')).toBe(0);
      expect(countRows(t.database, 'items')).toBe(0);
    });
  }

  it('refuses a NUL in the form, naming the field in the page, and keeps the rest', async () => {
    const t = createTestApp();
    const token = formTokenOf((await request(t.app).get('/?lang=en')).text);
    const res = await request(t.app)
      .post('/report?lang=en')
      .type('form')
      .send(`formToken=${encodeURIComponent(token)}&urls=https%3A%2F%2Fexample.com%2F&description=a%00b&lang=en`)
      .expect(400);
    expect(res.text).toContain('href="#field-description"');
    expect(res.text).toContain('control characters or broken text');
    expect(countRows(t.database, 'reports')).toBe(0);
  });

  it('refuses a lone surrogate or a NUL in the login fields with a 400 naming the field', async () => {
    const t = createTestApp();
    for (const [field, escaped] of [
      ['username', 'admin\\ud800'],
      ['password', 'pass\\u0000word'],
      ['totp', '12345\\u0000'],
    ] as const) {
      const body = JSON.stringify({ username: 'admin', password: 'a long passphrase', totp: '123456', [field]: 'X' });
      const res = await request(t.app)
        .post('/api/v1/session')
        .set('Content-Type', 'application/json')
        .set('Accept-Language', 'en')
        .send(body.replace('"X"', `"${escaped}"`))
        .expect(400);
      expect(Object.keys(res.body.fields), field).toEqual([field]);
      expect(res.body.fields[field]).toContain('control characters or broken text');
    }
  });
});
