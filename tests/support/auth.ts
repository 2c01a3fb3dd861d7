import { generateSync } from 'otplib';
import request from 'supertest';
import type { Argon2Cost } from '../../src/auth/passwords.ts';
import type { Role } from '../../src/auth/roles.ts';
import { sessionCookieName } from '../../src/auth/session-cookie.ts';
import { csrfKey, csrfTokenFor, startSession } from '../../src/auth/sessions.ts';
import { createUser } from '../../src/auth/users.ts';
import type { TestApp } from './app.ts';

/** The lowest argon2 cost the library takes; production cost is asserted in tests/auth/passwords.test.ts. */
export const testArgon2Cost: Argon2Cost = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

export interface TestUser {
  id: number;
  username: string;
  role: Role;
  password: string;
  totpSecret: string;
}

let counter = 0;

/** Creates an account through the real domain function (cheap hash), as an admin would. */
export async function addUser(t: TestApp, role: Role, username = `${role}${++counter}`): Promise<TestUser> {
  const password = `sturdy horse battery staple ${counter}`;
  const deps = { db: t.database.db, config: t.config, now: t.clock.now };
  const { user, totpSecret } = await createUser(
    deps,
    'system',
    { username, role, password },
    { argon2Cost: testArgon2Cost },
  );
  return { id: user.id, username, role, password, totpSecret };
}

/** The TOTP code of `user` at time `ms` (the test clock's now by default). */
export function totpCode(user: TestUser, ms: number): string {
  return generateSync({ secret: user.totpSecret, epoch: Math.floor(ms / 1000) });
}

export interface TestSession {
  cookie: string;
  csrfToken: string;
}

/** The Cookie header value for a session cookie found in a response's Set-Cookie. */
export function sessionCookieFrom(setCookie: string[] | string | undefined): string | undefined {
  const all = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  const ours = all.find((c) => c.startsWith(`${sessionCookieName}=`));
  return ours?.split(';')[0];
}

/** Logs in through POST /api/v1/session with the code of the current step. */
export async function signIn(t: TestApp, user: TestUser, headers: Record<string, string> = {}): Promise<TestSession> {
  const res = await request(t.app)
    .post('/api/v1/session')
    .set(headers)
    .send({ username: user.username, password: user.password, totp: totpCode(user, t.clock.now()) });
  const cookie = sessionCookieFrom(res.headers['set-cookie']);
  if (res.status !== 200 || !cookie) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { cookie, csrfToken: res.body.csrfToken };
}

/** A session stored directly (no login, no TOTP step used up), started at `startedAt`. */
export function sessionFor(t: TestApp, user: TestUser, startedAt = t.clock.now()): TestSession {
  const token = t.database.db.transaction((tx) => startSession(tx, user.id, startedAt));
  return {
    cookie: `${sessionCookieName}=${token}`,
    csrfToken: csrfTokenFor(csrfKey(t.config), token),
  };
}

/** The headers of a same-origin request from the analyst app with this session. */
export function asSession(session: TestSession): Record<string, string> {
  return { Cookie: session.cookie, 'X-CSRF-Token': session.csrfToken, 'Sec-Fetch-Site': 'same-origin' };
}
