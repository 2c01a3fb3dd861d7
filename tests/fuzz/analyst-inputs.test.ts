import { createServer, type Server } from 'node:http';
import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roles } from '../../src/auth/roles.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { addUser, asSession, sessionFor, type TestSession } from '../support/auth.ts';
import { databaseDigest } from '../support/db-digest.ts';

/**
 * The analyst JSON bodies and queries, as a signed-in admin sends them: never a 5xx, a localised
 * 4xx naming the field, and nothing changed by a refused request. HOTLINE_FUZZ_SCALE multiplies.
 */
const scale = Number(process.env.HOTLINE_FUZZ_SCALE ?? '1') || 1;
const runs = (n: number) => Math.max(1, Math.round(n * scale));

let t: TestApp;
let server: Server;
let admin: TestSession;
let targetId: number;
beforeAll(async () => {
  t = createTestApp({ env: { HOTLINE_LOG_LEVEL: 'error' } });
  admin = sessionFor(t, await addUser(t, 'admin'));
  targetId = (await addUser(t, 'analyst')).id;
  server = createServer(t.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const wild = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.string({ unit: 'binary', maxLength: 100 }));
const oddKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'disabled', 'role', 'username', 'password'),
  fc.string({ maxLength: 10 }),
);

function expectNamedRefusal(res: request.Response) {
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  expect(res.body.message).toMatch(/\S/);
  if (res.body.error === 'validation') expect(Object.keys(res.body.fields).length).toBeGreaterThan(0);
}

describe('fuzzing the analyst inputs', { timeout: 600_000 * scale }, () => {
  it('PATCH /api/v1/users/:id and POST /api/v1/users', async () => {
    const change = fc.oneof(
      fc.record(
        { disabled: fc.oneof(fc.boolean(), wild), role: fc.oneof(fc.constantFrom(...roles), wild) },
        { requiredKeys: [] },
      ),
      fc.dictionary(oddKey, wild, { maxKeys: 4 }),
      wild,
    );
    const id = fc.oneof(fc.constant(null), fc.string({ maxLength: 12 }), fc.integer());
    await fc.assert(
      fc.asyncProperty(change, id, fc.boolean(), async (body, rawId, post) => {
        const path = post ? '/api/v1/users' : `/api/v1/users/${encodeURIComponent(String(rawId ?? targetId))}`;
        const before = databaseDigest(t.database);
        const res = await request(server)
          [post ? 'post' : 'patch'](path)
          .set(asSession(admin))
          .set('Content-Type', 'application/json')
          .send(JSON.stringify(body) ?? 'null');
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) {
          expectNamedRefusal(res);
          expect(databaseDigest(t.database)).toBe(before);
        }
      }),
      { numRuns: runs(600) },
    );
  });

  it('GET /api/v1/audit query parameters', async () => {
    const param = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.integer().map(String));
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom('object', 'before', 'limit', 'x', '__proto__'), param),
        async (query) => {
          const before = databaseDigest(t.database);
          const res = await request(server).get('/api/v1/audit').query(query).set(asSession(admin));
          expect(res.status).toBeLessThan(500);
          if (res.status >= 400) expectNamedRefusal(res);
          // Reading the audit log writes nothing, whatever the query.
          expect(databaseDigest(t.database)).toBe(before);
        },
      ),
      { numRuns: runs(400) },
    );
  });
});
