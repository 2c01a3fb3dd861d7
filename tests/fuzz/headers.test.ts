import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionCookieName } from '../../src/auth/session-cookie.ts';
import { catalogues, isLang, languages } from '../../src/http/i18n.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { addUser, sessionFor, type TestSession } from '../support/auth.ts';
import { databaseDigest } from '../support/db-digest.ts';
import { headerCases } from './budget.ts';
import { acceptLanguage, expectLocalisedRefusal, fuzzTimeout, runsOf } from './fuzz-kit.ts';

/**
 * The request headers the app reads, fuzzed: Accept-Language, the CSRF trio (X-CSRF-Token, Origin,
 * Sec-Fetch-Site) with X-Forwarded-Proto behind a trusted proxy, the metrics bearer, Cookie and
 * X-Forwarded-For. Never a 5xx; each answer is the one the documented rule gives (written out
 * here case by case), a refusal in the request's language, and a refused change changes nothing.
 */

const metricsToken = 'm'.repeat(40);
let t: TestApp;
let server: Server;
let port: number;
let analyst: TestSession;
let otherAnalyst: TestSession;
let admin: TestSession;

beforeAll(async () => {
  t = createTestApp({
    env: {
      HOTLINE_LOG_LEVEL: 'error',
      HOTLINE_TRUST_PROXY: '1',
      HOTLINE_METRICS_TOKEN: metricsToken,
      HOTLINE_REPORT_LIMIT: '5',
    },
  });
  analyst = sessionFor(t, await addUser(t, 'analyst'));
  otherAnalyst = sessionFor(t, await addUser(t, 'analyst'));
  admin = sessionFor(t, await addUser(t, 'admin'));
  server = createServer(t.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Any header value Node sends: tab, printable ASCII and Latin-1 bytes, no line break. */
const headerText = (maxLength: number) =>
  fc.string({
    unit: fc
      .integer({ min: 0x20, max: 0xff })
      .filter((c) => c !== 0x7f)
      .map((c) => String.fromCharCode(c)),
    maxLength,
  });

/** Runs `body` inside a transaction rolled back afterwards: every case meets the same database. */
async function rolledBack<T>(body: () => Promise<T>): Promise<T> {
  t.database.sqlite.exec('BEGIN');
  try {
    return await body();
  } finally {
    t.database.sqlite.exec('ROLLBACK');
  }
}

const set = (call: request.Test, headers: Record<string, string | undefined>) => {
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) call.set(name, value);
  return call;
};

describe('fuzzing the headers the app reads', { timeout: fuzzTimeout }, () => {
  it('Accept-Language: public pages and API refusals in the language it asks for', async () => {
    let clients = 0;
    const header = fc.oneof(
      { weight: 3, arbitrary: acceptLanguage },
      {
        weight: 1,
        arbitrary: fc
          .array(
            fc.tuple(
              fc.oneof(fc.constantFrom(...languages, 'nl-BE', 'de-AT', '*', 'xx'), headerText(8)),
              fc.option(fc.double({ min: 0, max: 1, noNaN: true }).map((q) => q.toFixed(3))),
            ),
            { maxLength: 4 },
          )
          .map((tags) => [tags.map(([tag, q]) => (q === null ? tag : `${tag};q=${q}`)).join(', '), undefined] as const),
      },
      { weight: 1, arbitrary: headerText(60).map((text) => [text, undefined] as const) },
    );
    await fc.assert(
      fc.asyncProperty(header, fc.constantFrom('/', '/status', '/next'), async ([value, lang], path) => {
        const page = await set(request(server).get(path), { 'Accept-Language': value });
        expect(page.status).toBe(200);
        const shown = /<html lang="([a-z]+)">/.exec(page.text)?.[1];
        expect(isLang(shown)).toBe(true);
        if (lang) expect(shown).toBe(lang);
        const before = databaseDigest(t.database);
        // Each case from its own address (the throttle counts refused reports too; moving the clock would end the sessions).
        clients += 1;
        const refused = await set(request(server).post('/api/v1/reports'), {
          'Accept-Language': value,
          'X-Forwarded-For': `10.0.${clients >> 8}.${clients & 255}`,
        }).send({
          urls: 'not a list',
        });
        expect(refused.status).toBe(400);
        // The API and the page agree on the language, whatever the header holds.
        expectLocalisedRefusal(refused, lang ?? (shown as (typeof languages)[number]));
        expect(databaseDigest(t.database)).toBe(before);
      }),
      { numRuns: runsOf(headerCases['Accept-Language (pages and API answers)']) },
    );
  });

  it('X-CSRF-Token, Origin, Sec-Fetch-Site and X-Forwarded-Proto on a state change', async () => {
    const here = `127.0.0.1:${port}`;
    // Each Origin with the scheme it is same-origin under (none: never).
    const origin = fc.constantFrom<[string | undefined, string | undefined]>(
      [undefined, undefined],
      ['null', undefined],
      [`http://${here}`, 'http'],
      [`https://${here}`, 'https'],
      [`HTTP://${here}`, 'http'],
      [`http://${here}/analyst/`, 'http'],
      [`http://127.0.0.1:${port + 1}`, undefined],
      [`http://localhost:${port}`, undefined],
      ['https://evil.example.test', undefined],
      ['', undefined],
    );
    const originOrGarbage = fc.oneof(
      { weight: 4, arbitrary: origin },
      { weight: 1, arbitrary: headerText(40).map((o): [string, undefined] => [o, undefined]) },
    );
    // Each X-Forwarded-Proto with the scheme Express takes from it (trust proxy: one hop).
    const proto = fc.constantFrom<[string | undefined, string]>(
      [undefined, 'http'],
      ['https', 'https'],
      ['http', 'http'],
      ['https, http', 'https'],
      [' https ', 'https'],
      ['ftp', 'ftp'],
    );
    const site = fc.constantFrom(
      undefined,
      undefined,
      'same-origin',
      'same-site',
      'cross-site',
      'none',
      'Same-Origin',
      '',
    );
    const token = fc.oneof(
      { weight: 3, arbitrary: fc.constant('valid') },
      { weight: 2, arbitrary: fc.constantFrom('other session', 'absent', 'valid and more', 'truncated') },
      { weight: 1, arbitrary: headerText(60) },
    );
    const tokenValue = (which: string) =>
      ({
        valid: analyst.csrfToken,
        'other session': otherAnalyst.csrfToken,
        absent: undefined,
        'valid and more': `${analyst.csrfToken}A`,
        truncated: analyst.csrfToken.slice(0, -1),
      })[which] ?? which;
    await fc.assert(
      fc.asyncProperty(
        token,
        originOrGarbage,
        site,
        proto,
        acceptLanguage,
        async (which, [originValue, originScheme], fetchSite, [protoValue, scheme], [language, lang]) => {
          const sameOrigin = fetchSite !== undefined ? fetchSite === 'same-origin' : originScheme === scheme;
          const allowed = which === 'valid' && sameOrigin;
          await rolledBack(async () => {
            const before = databaseDigest(t.database);
            const res = await set(request(server).patch('/api/v1/session'), {
              Cookie: analyst.cookie,
              'X-CSRF-Token': tokenValue(which),
              Origin: originValue,
              'Sec-Fetch-Site': fetchSite,
              'X-Forwarded-Proto': protoValue,
              'Accept-Language': language,
            }).send({ language: 'nl' });
            if (allowed) {
              expect(res.status).toBe(200);
              expect(res.body.user.language).toBe('nl');
            } else {
              expect(res.status).toBe(403);
              expect(res.body.error).toBe('csrf');
              expectLocalisedRefusal(res, lang);
              expect(databaseDigest(t.database)).toBe(before);
            }
          });
        },
      ),
      { numRuns: runsOf(headerCases['Origin, Sec-Fetch-Site, X-CSRF-Token, X-Forwarded-Proto (state changes)']) },
    );
  });

  it('Authorization and Cookie on GET /metrics: the configured bearer token or an admin', async () => {
    const authorization = fc.oneof(
      {
        weight: 4,
        arbitrary: fc.constantFrom<[string | undefined, 'token' | 'wrong' | 'none']>(
          [undefined, 'none'],
          [`Bearer ${metricsToken}`, 'token'],
          [`Bearer ${metricsToken}x`, 'wrong'],
          [`Bearer ${metricsToken.slice(1)}`, 'wrong'],
          ['Bearer x', 'wrong'],
          [`bearer ${metricsToken}`, 'none'],
          [`Bearer  ${metricsToken}`, 'none'],
          [`Bearer ${metricsToken} more`, 'none'],
          [`Basic ${Buffer.from(`user:${metricsToken}`).toString('base64')}`, 'none'],
          ['Bearer', 'none'],
        ),
      },
      {
        weight: 1,
        arbitrary: headerText(60).map((text): [string, 'token' | 'wrong' | 'none'] => [
          text,
          /^Bearer \S+$/.test(text) ? 'wrong' : 'none',
        ]),
      },
    );
    const cookie = fc.constantFrom<[string | undefined, 'admin' | 'analyst' | 'none']>(
      [undefined, 'none'],
      [admin.cookie, 'admin'],
      [analyst.cookie, 'analyst'],
      [`${sessionCookieName}=forged`, 'none'],
      ['other=1', 'none'],
    );
    await fc.assert(
      fc.asyncProperty(authorization, cookie, async ([auth, bearer], [cookieValue, who]) => {
        const res = await set(request(server).get('/metrics'), { Authorization: auth, Cookie: cookieValue });
        // A bearer decides alone; without one, the session's role does.
        const expected =
          bearer === 'token' ? 200 : bearer === 'wrong' ? 401 : who === 'admin' ? 200 : who === 'analyst' ? 403 : 401;
        expect(res.status).toBe(expected);
        if (expected === 200) expect(res.text).toMatch(/^# HELP /m);
        else expectLocalisedRefusal(res, 'fr');
      }),
      { numRuns: runsOf(headerCases['Authorization (metrics bearer) and Cookie (GET /metrics)']) },
    );
  });

  it('Cookie: the session cookie among any others, on the API and the public form', async () => {
    const piece = fc.oneof(
      fc.constantFrom(
        analyst.cookie,
        `${sessionCookieName}=forged`,
        `${sessionCookieName}=`,
        'theme=dark',
        'a=b=c',
        ';',
        '=',
      ),
      headerText(30),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(piece, { maxLength: 5 }),
        fc.constantFrom('; ', ';', ', '),
        async (pieces, separator) => {
          const header = pieces.join(separator);
          const res = await set(request(server).get('/api/v1/session'), { Cookie: header === '' ? undefined : header });
          expect([200, 401]).toContain(res.status);
          if (res.status === 200) {
            expect(res.body.user.role).toBe('analyst');
            // Only the real cookie opens the session.
            expect(header).toContain(analyst.cookie);
          } else expectLocalisedRefusal(res, 'fr');
          const page = await set(request(server).get('/'), { Cookie: header === '' ? undefined : header });
          expect(page.status).toBe(200);
          expect(page.headers['set-cookie']).toBeUndefined();
        },
      ),
      { numRuns: runsOf(headerCases['Cookie (GET /api/v1/session and the public form)']) },
    );
  });

  it('X-Forwarded-For behind a trusted proxy: reports are taken or throttled, never a 5xx', async () => {
    const address = fc.oneof(
      fc.ipV4(),
      fc.ipV6(),
      fc.constantFrom('unknown', '::ffff:1.2.3.4', '[::1]:80', '999.1.1.1'),
    );
    const forwardedFor = fc.oneof(
      { weight: 3, arbitrary: fc.array(address, { minLength: 1, maxLength: 3 }).map((list) => list.join(', ')) },
      { weight: 1, arbitrary: headerText(80) },
      { weight: 1, arbitrary: fc.constant(undefined) },
    );
    const report = { urls: ['https://reported.example.test/'], category: 'other', siteType: 'chat', mediaType: 'text' };
    await fc.assert(
      fc.asyncProperty(forwardedFor, acceptLanguage, async (xff, [language, lang]) => {
        const before = databaseDigest(t.database);
        const res = await set(request(server).post('/api/v1/reports'), {
          'X-Forwarded-For': xff,
          'Accept-Language': language,
        }).send(report);
        expect([201, 429]).toContain(res.status);
        if (res.status === 201) expect(res.body.receipt).toMatch(/\S/);
        else {
          expect(res.body.message).toBe(catalogues[lang]['error.rate_limited']);
          expectLocalisedRefusal(res, lang);
          expect(databaseDigest(t.database)).toBe(before);
        }
      }),
      { numRuns: runsOf(headerCases['X-Forwarded-For (throttle keys, with HOTLINE_TRUST_PROXY)']) },
    );
  });
});
