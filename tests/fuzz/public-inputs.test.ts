import { createServer, type Server } from 'node:http';
import fc from 'fast-check';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  reportCategories as categories,
  reportedMediaTypes as mediaTypes,
  reportedSiteTypes as siteTypes,
} from '../../src/taxonomy/vocabulary.ts';
import { createTestApp, formTokenOf, type TestApp } from '../support/app.ts';
import { databaseDigest } from '../support/db-digest.ts';

/**
 * Property tests over every public input: whatever arrives, never a 5xx, a localised 4xx that
 * names the field, and a refused request changes nothing in the database. 10,000 cases in all by
 * default; HOTLINE_FUZZ_SCALE=10 runs ten times as many.
 */
const scale = Number(process.env.HOTLINE_FUZZ_SCALE ?? '1') || 1;
const runs = (n: number) => Math.max(1, Math.round(n * scale));
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

const oddKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', ''),
  fc.string({ maxLength: 12 }),
);
const wild = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.string({ unit: 'binary', maxLength: 200 }));
const maybe = <T>(value: fc.Arbitrary<T>) => fc.option(value, { nil: undefined });

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

type Json = Record<string, unknown>;
const isPlainObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A refused request's answer: a stable id, a message in words, and for bad fields each named. */
function expectRefusal(res: request.Response, sent: unknown) {
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  expect(typeof res.body.error).toBe('string');
  expect(res.body.message).toMatch(/\S/);
  if (res.body.error === 'invalid_json') {
    expect(isPlainObject(sent)).toBe(false);
  } else if (res.status === 400) {
    expect(res.body.error).toBe('validation');
    const named = Object.keys(res.body.fields);
    expect(named.length).toBeGreaterThan(0);
    for (const field of named) expect(res.body.fields[field]).toMatch(/\S/);
  }
}

async function refusedChangesNothing(send: () => Promise<request.Response>, ok: (res: request.Response) => boolean) {
  const before = databaseDigest(t.database);
  const res = await send();
  expect(res.status).toBeLessThan(500);
  if (!ok(res)) expect(databaseDigest(t.database)).toBe(before);
  return res;
}

// Generous: CPU time is about 5 ms a case, but a shared CI machine may be slow.
describe('fuzzing the public inputs', { timeout: 600_000 * scale }, () => {
  it('POST /api/v1/reports', async () => {
    await fc.assert(
      fc.asyncProperty(reportBody, async (body) => {
        const json = JSON.stringify(body) ?? 'null';
        const res = await refusedChangesNothing(
          () => request(server).post('/api/v1/reports').set('Content-Type', 'application/json').send(json),
          (r) => r.status === 201,
        );
        if (res.status === 201) expect(res.body.receipt).toMatch(/\S/);
        else {
          expectRefusal(res, JSON.parse(json));
          const unknown = isPlainObject(body) ? Object.keys(body).filter((k) => !reportFields.includes(k)) : [];
          for (const key of unknown) expect(Object.keys(res.body.fields ?? {})).toContain(key);
        }
      }),
      { numRuns: runs(4000) },
    );
  });

  it('POST /report (the form, with a fresh form token each time)', async () => {
    const pair = fc.tuple(
      fc.oneof(fc.constantFrom(...reportFields, 'leave_empty'), oddKey),
      fc.string({ unit: 'binary', maxLength: 300 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(pair, { maxLength: 10 }), async (pairs) => {
        const page = await request(server).get('/?lang=en');
        const form = new URLSearchParams([['formToken', formTokenOf(page.text)], ...pairs]).toString();
        const res = await refusedChangesNothing(
          () => request(server).post('/report?lang=en').type('form').send(form),
          (r) => r.status === 200,
        );
        expect([200, 400]).toContain(res.status);
        if (res.status === 400) expect(res.text).toMatch(/id="[a-zA-Z]+-error"|role="alert"/);
      }),
      { numRuns: runs(1500) },
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
      fc.asyncProperty(fc.oneof(fc.record({ receipt }, { requiredKeys: [] }), reportBody), async (body) => {
        const json = JSON.stringify(body) ?? 'null';
        const res = await refusedChangesNothing(
          () => request(server).post('/api/v1/status').set('Content-Type', 'application/json').send(json),
          () => false,
        );
        if (res.status === 200) expect(res.body.status).toBe('received');
        else if (res.status === 404) expect(res.body.error).toBe('receipt_not_found');
        else expectRefusal(res, JSON.parse(json));
      }),
      { numRuns: runs(2000) },
    );
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 150 }), oddKey, async (value, key) => {
        const form = new URLSearchParams([[key === '' ? 'receipt' : key, value]]).toString();
        const res = await refusedChangesNothing(
          () => request(server).post('/status?lang=de').type('form').send(form),
          () => false,
        );
        expect([400, 404]).toContain(res.status);
        expect(res.text).toMatch(/role="alert"|-error"/);
      }),
      { numRuns: runs(1500) },
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
      fc.asyncProperty(body, async (sent) => {
        // The login throttle counts per ten minutes: step past it so every case reaches validation.
        t.clock.advance(tenMinutes);
        const json = JSON.stringify(sent) ?? 'null';
        const res = await refusedChangesNothing(
          () => request(server).post('/api/v1/session').set('Content-Type', 'application/json').send(json),
          // A well-formed failed login is recorded in the audit chain on purpose.
          (r) => r.status === 401,
        );
        expect([400, 401]).toContain(res.status);
        if (res.status === 400) expectRefusal(res, JSON.parse(json));
      }),
      { numRuns: runs(1000) },
    );
  });
});
