import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiPolicy, isStateChanging, type PolicyEntry } from '../../src/auth/policy.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { addUser, sessionFor, type TestSession, type TestUser } from '../support/auth.ts';
import { countRows } from '../support/db.ts';

const guardedChanges = apiPolicy.filter(
  (e): e is PolicyEntry & { allow: readonly string[] } => e.allow !== 'public' && isStateChanging(e.method),
);

type HeaderCase = (own: TestSession, other: TestSession) => Record<string, string>;

const refused: Record<string, HeaderCase> = {
  'no token': (own) => ({ Cookie: own.cookie, 'Sec-Fetch-Site': 'same-origin' }),
  'an empty token': (own) => ({ Cookie: own.cookie, 'X-CSRF-Token': '', 'Sec-Fetch-Site': 'same-origin' }),
  'a wrong token': (own) => ({
    Cookie: own.cookie,
    'X-CSRF-Token': `${own.csrfToken.slice(0, -2)}xx`,
    'Sec-Fetch-Site': 'same-origin',
  }),
  "another session's token": (own, other) => ({
    Cookie: own.cookie,
    'X-CSRF-Token': other.csrfToken,
    'Sec-Fetch-Site': 'same-origin',
  }),
  'the token but Sec-Fetch-Site cross-site': (own) => ({
    Cookie: own.cookie,
    'X-CSRF-Token': own.csrfToken,
    'Sec-Fetch-Site': 'cross-site',
  }),
  'the token but Sec-Fetch-Site same-site': (own) => ({
    Cookie: own.cookie,
    'X-CSRF-Token': own.csrfToken,
    'Sec-Fetch-Site': 'same-site',
  }),
  'the token but a foreign Origin': (own) => ({
    Cookie: own.cookie,
    'X-CSRF-Token': own.csrfToken,
    Host: 'hotline.test',
    Origin: 'https://evil.example',
  }),
  'the token but Origin null': (own) => ({
    Cookie: own.cookie,
    'X-CSRF-Token': own.csrfToken,
    Host: 'hotline.test',
    Origin: 'null',
  }),
  'the token but no Origin nor Sec-Fetch-Site': (own) => ({ Cookie: own.cookie, 'X-CSRF-Token': own.csrfToken }),
  'the token, our Origin, but Sec-Fetch-Site cross-site': (own) => ({
    Cookie: own.cookie,
    'X-CSRF-Token': own.csrfToken,
    Host: 'hotline.test',
    Origin: 'https://hotline.test',
    'Sec-Fetch-Site': 'cross-site',
  }),
};

const accepted: Record<string, HeaderCase> = {
  'the token and Sec-Fetch-Site same-origin': (own) => ({
    Cookie: own.cookie,
    'X-CSRF-Token': own.csrfToken,
    'Sec-Fetch-Site': 'same-origin',
  }),
  'the token and our Origin': (own) => ({
    Cookie: own.cookie,
    'X-CSRF-Token': own.csrfToken,
    Host: 'hotline.test',
    Origin: 'https://hotline.test',
  }),
};

describe('CSRF protection on every state-changing route', () => {
  let t: TestApp;
  let admin: TestUser;
  let target: TestUser;

  beforeAll(async () => {
    t = createTestApp();
    admin = await addUser(t, 'admin');
    target = await addUser(t, 'analyst');
  });

  it('covers at least the account and session routes', () => {
    expect(guardedChanges.map((e) => `${e.method} ${e.path}`)).toEqual(
      expect.arrayContaining(['DELETE /api/v1/session', 'POST /api/v1/users', 'PATCH /api/v1/users/:id']),
    );
  });

  const send = (entry: PolicyEntry, headers: Record<string, string>) =>
    request(t.app)
      [entry.method.toLowerCase() as 'post'](entry.path.replace(/:\w+/g, String(target.id)))
      .set(headers)
      .send({});

  for (const entry of guardedChanges) {
    for (const [name, headersFor] of Object.entries(refused)) {
      it(`${entry.method} ${entry.path} with ${name}: 403, nothing changed`, async () => {
        const own = sessionFor(t, admin);
        const other = sessionFor(t, admin);
        const events = countRows(t.database, 'audit_events');
        const sessions = countRows(t.database, 'sessions');
        const res = await send(entry, headersFor(own, other));
        expect(res.status).toBe(403);
        expect(res.body.error).toBe('csrf');
        expect(countRows(t.database, 'audit_events')).toBe(events);
        expect(countRows(t.database, 'sessions')).toBe(sessions);
      });
    }
    for (const [name, headersFor] of Object.entries(accepted)) {
      it(`${entry.method} ${entry.path} with ${name}: passes the check`, async () => {
        const own = sessionFor(t, admin);
        const res = await send(entry, headersFor(own, own));
        expect(res.status).not.toBe(403);
        expect(res.status).toBeLessThan(500);
      });
    }
  }

  it('a refused account creation creates nothing, the same request with the token does', async () => {
    const own = sessionFor(t, admin);
    const body = { username: 'csrf.victim', role: 'admin', password: 'a long and unusual passphrase' };
    const users = countRows(t.database, 'users');
    await request(t.app)
      .post('/api/v1/users')
      .set({ Cookie: own.cookie, 'X-CSRF-Token': own.csrfToken, 'Sec-Fetch-Site': 'cross-site' })
      .send(body)
      .expect(403);
    expect(countRows(t.database, 'users')).toBe(users);
    await request(t.app)
      .post('/api/v1/users')
      .set({ Cookie: own.cookie, 'X-CSRF-Token': own.csrfToken, 'Sec-Fetch-Site': 'same-origin' })
      .send(body)
      .expect(201);
    expect(countRows(t.database, 'users')).toBe(users + 1);
  });

  it('reads need no token', async () => {
    const own = sessionFor(t, admin);
    await request(t.app).get('/api/v1/users').set('Cookie', own.cookie).expect(200);
  });
});
