import { createServer, type Server } from 'node:http';
import fc from 'fast-check';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isLang, type Lang, languages } from '../../src/http/i18n.ts';
import {
  reportCategories as categories,
  reportedMediaTypes as mediaTypes,
  reportedSiteTypes as siteTypes,
} from '../../src/taxonomy/vocabulary.ts';
import { createTestApp, formTokenOf, type TestApp } from '../support/app.ts';
import { databaseDigest } from '../support/db-digest.ts';
import { publicCases } from './budget.ts';
import {
  acceptLanguage,
  expectedLang,
  expectLocalisedPage,
  expectLocalisedRefusal,
  fuzzTimeout,
  isPlainObject,
  maybe,
  oddKey,
  runsOf,
  wild,
} from './fuzz-kit.ts';

/**
 * Property tests over every public input: whatever arrives, never a 5xx, a 4xx in the reporter's
 * language (the catalogue's own text) that names the field, and a refused request changes nothing
 * in the database. The cases per property are in ./budget.ts; HOTLINE_FUZZ_SCALE multiplies them.
 */
const tenMinutes = 600_000;
const reportFields = ['urls', 'category', 'siteType', 'mediaType', 'description', 'contact', 'lang'];

let t: TestApp;
let server: Server;
// A fresh app and database for each property: the digest then covers a small database, and one
// property's accepted reports do not slow the next.
beforeEach(async () => {
  t = createTestApp({
    env: { HOTLINE_LOG_LEVEL: 'error', HOTLINE_REPORT_LIMIT: '100000000', HOTLINE_STATUS_LIMIT: '100000000' },
  });
  server = createServer(t.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Bodies near a valid report (each field right, wrong or missing) and far from it. */
const reportBody = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record(
      {
        urls: fc.oneof(
          fc.array(fc.webUrl(), { minLength: 1, maxLength: 3 }),
          fc.array(fc.string({ unit: 'binary' }), { maxLength: 25 }),
          wild,
        ),
        category: fc.oneof(fc.constantFrom(...categories), wild),
        siteType: fc.oneof(fc.constantFrom(...siteTypes), wild),
        mediaType: fc.oneof(fc.constantFrom(...mediaTypes), wild),
        description: maybe(fc.oneof(fc.string({ unit: 'binary', maxLength: 2100 }), wild)),
        contact: maybe(fc.oneof(fc.emailAddress(), fc.string({ unit: 'binary' }), wild)),
        lang: maybe(fc.oneof(fc.constantFrom('fr', 'nl', 'en', 'de'), wild)),
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: fc.dictionary(oddKey, wild, { maxKeys: 6 }) },
  { weight: 1, arbitrary: wild },
);

/** A refused JSON request: localised and naming fields (fuzz-kit), or `invalid_json` for a non-object. */
function expectRefusal(res: request.Response, sent: unknown, lang: Lang) {
  expectLocalisedRefusal(res, lang, { body: sent, known: reportFields });
  if (res.body.error === 'invalid_json') expect(isPlainObject(sent)).toBe(false);
  else if (res.status === 400) expect(res.body.error).toBe('validation');
}

/** The language of a form post's answer: its language switch, `?lang=`, the form's `lang`, else the header's. */
function formLang(fromHeader: Lang, query: string | undefined, pairs: readonly (readonly [string, string])[]): Lang {
  const one = (key: string) => {
    const values = pairs.filter(([k]) => k === key).map(([, v]) => v);
    return values.length === 1 && isLang(values[0]) ? values[0] : undefined;
  };
  return one('switchTo') ?? (isLang(query) ? query : undefined) ?? one('lang') ?? fromHeader;
}

async function refusedChangesNothing(send: () => Promise<request.Response>, ok: (res: request.Response) => boolean) {
  const before = databaseDigest(t.database);
  const res = await send();
  expect(res.status).toBeLessThan(500);
  if (!ok(res)) expect(databaseDigest(t.database)).toBe(before);
  return res;
}

// Generous: CPU time is about 5 ms a case, but a shared CI machine may be slow.
const withLanguage = (call: request.Test, header: string | undefined) =>
  header === undefined ? call : call.set('Accept-Language', header);
const queryLang = fc.constantFrom(undefined, undefined, 'fr', 'nl', 'en', 'de', 'es', '');

describe('fuzzing the public inputs', { timeout: fuzzTimeout }, () => {
  it('POST /api/v1/reports', async () => {
    await fc.assert(
      fc.asyncProperty(reportBody, acceptLanguage, async (body, [header, fromHeader]) => {
        const json = JSON.stringify(body) ?? 'null';
        const res = await refusedChangesNothing(
          () =>
            withLanguage(request(server).post('/api/v1/reports'), header)
              .set('Content-Type', 'application/json')
              .send(json),
          (r) => r.status === 201,
        );
        const sent = JSON.parse(json);
        if (res.status === 201) expect(res.body.receipt).toMatch(/\S/);
        else expectRefusal(res, sent, expectedLang(fromHeader, undefined, sent));
      }),
      { numRuns: runsOf(publicCases['POST /api/v1/reports']) },
    );
  });

  it('POST /report (the form, with a fresh form token each time)', async () => {
    const pair = fc.tuple(
      fc.oneof(fc.constantFrom(...reportFields, 'leave_empty'), oddKey),
      fc.string({ unit: 'binary', maxLength: 300 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(pair, { maxLength: 10 }),
        queryLang,
        acceptLanguage,
        async (pairs, lang, [header, fromHeader]) => {
          const page = await request(server).get('/?lang=en');
          const form = new URLSearchParams([['formToken', formTokenOf(page.text)], ...pairs]).toString();
          const path = lang === undefined ? '/report' : `/report?lang=${lang}`;
          const res = await refusedChangesNothing(
            () => withLanguage(request(server).post(path), header).type('form').send(form),
            (r) => r.status === 200,
          );
          expect([200, 400]).toContain(res.status);
          if (res.status === 400) expectLocalisedPage(res, formLang(fromHeader, lang, pairs));
        },
      ),
      { numRuns: runsOf(publicCases['POST /report']) },
    );
  });

  it('POST / (the language switch, echoing what was typed) and the pages under any query', async () => {
    const pair = fc.tuple(
      fc.oneof(fc.constantFrom(...reportFields, 'switchTo', 'switchTo', 'formToken'), oddKey),
      fc.oneof(
        fc.constantFrom(...languages, '<script>alert(1)</script>', '"><b>x'),
        fc.string({ unit: 'binary', maxLength: 200 }),
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(pair, { maxLength: 8 }),
        queryLang,
        acceptLanguage,
        fc.constantFrom('/', '/status', '/next'),
        async (pairs, lang, [header, fromHeader], page) => {
          const query = lang === undefined ? '' : `?lang=${lang}`;
          const form = new URLSearchParams(pairs.map(([k, v]) => [k, v])).toString();
          const res = await refusedChangesNothing(
            () =>
              withLanguage(request(server).post(`/${query}`), header)
                .type('form')
                .send(form),
            () => false,
          );
          expect(res.status).toBe(200);
          expect(res.text).toContain(`<html lang="${formLang(fromHeader, lang, pairs)}">`);
          // What was typed comes back as text, never as markup.
          expect(res.text).not.toContain('<script>alert(1)</script>');
          expect(res.text).not.toContain('"><b>x');
          const shown = await withLanguage(request(server).get(`${page}${query}`), header);
          expect(shown.status).toBe(200);
          expect(shown.text).toContain(`<html lang="${isLang(lang) ? lang : fromHeader}">`);
        },
      ),
      { numRuns: runsOf(publicCases['POST / and GET /, /status, /next']) },
    );
  });

  it('POST /api/v1/status and POST /status (receipts)', async () => {
    const real: string[] = [];
    for (const n of [1, 2, 3]) {
      const res = await request(server)
        .post('/api/v1/reports')
        .send({ urls: [`https://r${n}.example/`], category: 'other', siteType: 'chat', mediaType: 'text' });
      real.push(res.body.receipt);
    }
    const receipt = fc.oneof(
      fc.constantFrom(...real),
      fc.constantFrom(...real).map((r) => ` ${r.toLowerCase().replaceAll('-', ' ')} `),
      fc.string({ unit: 'binary', maxLength: 120 }),
      fc.stringMatching(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){1,6}$/),
      wild,
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.record({ receipt }, { requiredKeys: [] }), reportBody),
        acceptLanguage,
        async (body, [header, fromHeader]) => {
          const json = JSON.stringify(body) ?? 'null';
          const res = await refusedChangesNothing(
            () =>
              withLanguage(request(server).post('/api/v1/status'), header)
                .set('Content-Type', 'application/json')
                .send(json),
            () => false,
          );
          const sent = JSON.parse(json);
          if (res.status === 200) expect(res.body.status).toBe('received');
          else {
            expectLocalisedRefusal(res, expectedLang(fromHeader, undefined, sent));
            if (res.status === 404) expect(res.body.error).toBe('receipt_not_found');
            else if (res.status === 400 && isPlainObject(sent)) expect(res.body.error).toBe('validation');
          }
        },
      ),
      { numRuns: runsOf(publicCases['POST /api/v1/status']) },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'binary', maxLength: 150 }),
        oddKey,
        queryLang,
        acceptLanguage,
        async (value, key, lang, [header, fromHeader]) => {
          const pairs = [[key === '' ? 'receipt' : key, value]] as const;
          const form = new URLSearchParams(pairs.map(([k, v]) => [k, v])).toString();
          const path = lang === undefined ? '/status' : `/status?lang=${lang}`;
          const res = await refusedChangesNothing(
            () => withLanguage(request(server).post(path), header).type('form').send(form),
            () => false,
          );
          if (res.status === 200) {
            // Only the language switch answers 200: the page again, nothing checked.
            expect(key).toBe('switchTo');
            return;
          }
          expect([400, 404]).toContain(res.status);
          expectLocalisedPage(res, formLang(fromHeader, lang, pairs));
        },
      ),
      { numRuns: runsOf(publicCases['POST /status']) },
    );
  });

  it('POST /api/v1/session (the login body)', async () => {
    const credential = fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), wild);
    // Well-formed attempts cost an argon2 verification each: a fifth of the cases, to keep CI short.
    const body = fc.oneof(
      fc.record(
        { username: credential, password: credential, totp: fc.oneof(fc.stringMatching(/^\d{6}$/), credential) },
        { requiredKeys: [] },
      ),
      { weight: 2, arbitrary: fc.dictionary(oddKey, wild, { maxKeys: 4 }) },
      { weight: 2, arbitrary: wild },
    );
    await fc.assert(
      fc.asyncProperty(body, acceptLanguage, async (sent, [header, fromHeader]) => {
        // The login throttle counts per ten minutes: step past it so every case reaches validation.
        t.clock.advance(tenMinutes);
        const json = JSON.stringify(sent) ?? 'null';
        const res = await refusedChangesNothing(
          () =>
            withLanguage(request(server).post('/api/v1/session'), header)
              .set('Content-Type', 'application/json')
              .send(json),
          // A well-formed failed login is recorded in the audit chain on purpose.
          (r) => r.status === 401,
        );
        expect([400, 401]).toContain(res.status);
        // The login schema ignores unknown keys (a miss is a generic failure): only the language is checked.
        expectLocalisedRefusal(res, expectedLang(fromHeader, undefined, JSON.parse(json)));
      }),
      { numRuns: runsOf(publicCases['POST /api/v1/session']) },
    );
  });
});
