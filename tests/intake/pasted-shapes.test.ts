import { PassThrough, Readable } from 'node:stream';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import normalize from '../../src/cli/normalize.ts';
import { translate, withValues } from '../../src/http/i18n.ts';
import { createTestApp, formTokenOf, type TestApp } from '../support/app.ts';
import { rows } from '../support/db.ts';

/**
 * What people paste, read by the form, the API and `hotline normalize`: the same dedup keys, or the
 * same refusal naming the same line, from all three. `local` is a refusal of the intake only:
 * normalize describes such an address (isLocal) and we read that as the same verdict.
 */
type Verdict = { keys: string[] } | { error: string };

const shapes: [string, Verdict][] = [
  ['https://www.example.com/a', { keys: ['example.com/a'] }],
  ['http://example.com/b', { keys: ['example.com/b'] }],
  ['example.com/c', { keys: ['example.com/c'] }],
  ['www.example.org', { keys: ['example.org/'] }],
  ['"http://example.com/4".', { keys: ['example.com/4'] }],
  ["'https://example.com/5',", { keys: ['example.com/5'] }],
  ['look at https://example.com/6!', { keys: ['example.com/6'] }],
  ['https://example.com/7?', { keys: ['example.com/7'] }],
  ['(https://example.com/8)', { keys: ['example.com/8'] }],
  ['«https://example.com/9»', { keys: ['example.com/9'] }],
  ['“https://example.com/10”', { keys: ['example.com/10'] }],
  ['<https://example.com/11>', { keys: ['example.com/11'] }],
  ['[https://example.com/12]', { keys: ['example.com/12'] }],
  ['hxxp://example[.]com/13', { keys: ['example.com/13'] }],
  ['hxxps[:]//example[.]com/14', { keys: ['example.com/14'] }],
  ['example(.)com/15', { keys: ['example.com/15'] }],
  ['https://example.com/16 https://example.org/17', { keys: ['example.com/16', 'example.org/17'] }],
  [
    'https://example.com/18, example.net/19; and http://example.org/20.',
    { keys: ['example.com/18', 'example.net/19', 'example.org/20'] },
  ],
  ['<a href="https://example.com/21">here</a>', { keys: ['example.com/21'] }],
  ['https://en.wikipedia.org/wiki/Foo_(bar)', { keys: ['en.wikipedia.org/wiki/Foo_(bar)'] }],
  ['HTTPS://EXAMPLE.COM/Case', { keys: ['example.com/Case'] }],
  ['   https://example.com/22   ', { keys: ['example.com/22'] }],
  ['someone@example.invalid', { error: 'email' }],
  ['mailto:someone@example.com', { error: 'email' }],
  ['write to someone@example.com please', { error: 'email' }],
  ['<someone@example.com>', { error: 'email' }],
  ['localhost', { error: 'local_name' }],
  ['printer.local', { error: 'local_name' }],
  ['example.invalid', { error: 'local_name' }],
  ['hello', { error: 'bare_word' }],
  ['pictures', { error: 'bare_word' }],
  ['javascript:alert(1)', { error: 'unsupported_scheme' }],
  ['ftp://example.com/file', { error: 'unsupported_scheme' }],
  ['http://', { error: 'no_host' }],
  ['two words', { error: 'not_a_url' }],
  ['http://192.168.1.1/', { error: 'local' }],
  ['http://localhost:8080/x', { error: 'local' }],
  ['https://example.com/23 write to someone@example.com', { error: 'email_beside' }],
  ['<a href="mailto:x@example.com">https://example.com/24</a>', { error: 'email_beside' }],
  ['https://example.com/25,https://example.org/26', { keys: ['example.com/25', 'example.org/26'] }],
  ['example.com/27;https://example.org/28', { keys: ['example.com/27', 'example.org/28'] }],
  ['https://example.com/29…', { keys: ['example.com/29'] }],
  ['see https://example.com/30...', { keys: ['example.com/30'] }],
  ['**https://example.com/31**', { keys: ['example.com/31'] }],
  ['someone[@]example[.]com', { error: 'email' }],
  ['someone(at)example(.)com', { error: 'email' }],
  ['https://example.com/32?next=https://example.org/33', { keys: ['example.com/32?next=https://example.org/33'] }],
];

async function throughNormalize(shape: string): Promise<Verdict> {
  const stdout = new PassThrough();
  const chunks: string[] = [];
  stdout.on('data', (chunk) => chunks.push(String(chunk)));
  await normalize.run(['--', shape], { stdin: Readable.from([]), stdout, stderr: new PassThrough() });
  const lines = chunks
    .join('')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  const refused = lines.find((line) => line.error || line.isLocal);
  if (refused) return { error: refused.error ?? 'local' };
  return { keys: lines.map((line) => line.dedupKey) };
}

const keysOfLastReport = (t: TestApp) =>
  rows(
    t.database,
    `select i.dedup_key from report_urls u join items i on i.id = u.item_id
     where u.report_id = (select max(id) from reports) order by u.position`,
  ).map((row) => row.dedup_key);

const messageOf = (error: string) => translate('en', withValues(`error.urls.${error}`, { line: 1 }));
const escaped = (text: string) => text.replaceAll("'", '&#39;').replaceAll('"', '&quot;');

describe('pasted shapes read one way by the form, the API and hotline normalize', () => {
  let t: TestApp;
  beforeAll(() => {
    t = createTestApp({ env: { HOTLINE_REPORT_LIMIT: '1000' } });
  });

  it('has at least 30 shapes', () => {
    expect(shapes.length).toBeGreaterThanOrEqual(30);
  });

  for (const [shape, verdict] of shapes) {
    it(`reads ${JSON.stringify(shape)} as ${JSON.stringify(verdict)}`, async () => {
      expect(await throughNormalize(shape)).toEqual(verdict);

      const api = await request(t.app)
        .post('/api/v1/reports')
        .set('Accept-Language', 'en')
        .send({ urls: [shape] });
      if ('keys' in verdict) {
        expect(api.status).toBe(201);
        expect(keysOfLastReport(t)).toEqual(verdict.keys);
      } else {
        expect(api.status).toBe(400);
        expect(api.body.fields).toEqual({ urls: messageOf(verdict.error) });
      }

      const token = formTokenOf((await request(t.app).get('/?lang=en')).text);
      const form = await request(t.app)
        .post('/report?lang=en')
        .type('form')
        .send({ formToken: token, urls: shape, lang: 'en' });
      if ('keys' in verdict) {
        expect(form.status).toBe(200);
        expect(keysOfLastReport(t)).toEqual(verdict.keys);
      } else {
        expect(form.status).toBe(400);
        expect(form.text).toContain(escaped(messageOf(verdict.error)));
      }
    });
  }

  it('names the line of the first problem in a box of several lines', async () => {
    const token = formTokenOf((await request(t.app).get('/?lang=fr')).text);
    const form = await request(t.app)
      .post('/report?lang=fr')
      .type('form')
      .send({ formToken: token, urls: 'https://example.com/ok\n\nsomeone@example.com', lang: 'fr' });
    expect(form.status).toBe(400);
    expect(form.text).toContain('Ligne 3 : ceci ressemble à une adresse e-mail');
    const api = await request(t.app)
      .post('/api/v1/reports')
      .send({ urls: ['https://example.com/ok', 'hello'], lang: 'de' });
    expect(api.body.fields.urls).toMatch(/^Zeile 2: Dies ist ein einzelnes Wort/);
  });
});
