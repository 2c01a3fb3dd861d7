import { createHash } from 'node:crypto';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { sessionCookieName } from '../../src/auth/session-cookie.ts';
import { unlockUser } from '../../src/auth/users.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import {
  addUser,
  asSession,
  sessionCookieFrom,
  sessionFor,
  signIn,
  type TestSession,
  type TestUser,
  totpCode,
} from '../support/auth.ts';
import { rows } from '../support/db.ts';

const minute = 60_000;
const step = 30_000;

function attempt(t: TestApp, user: TestUser, change: Partial<Record<'username' | 'password' | 'totp', string>> = {}) {
  const body = { username: user.username, password: user.password, totp: totpCode(user, t.clock.now()), ...change };
  return request(t.app).post('/api/v1/session').send(body);
}

const whoAmI = (t: TestApp, cookie: string) => request(t.app).get('/api/v1/session').set('Cookie', cookie);
const failures = (t: TestApp) =>
  rows(t.database, `select * from audit_events where action = 'session.login_failed' order by seq`).map((r) =>
    JSON.parse(r.details),
  );

describe('POST /api/v1/session', () => {
  it('logs in with the right password and code: user, CSRF token and a strict session cookie', async () => {
    const t = createTestApp();
    const alice = await addUser(t, 'analyst', 'alice');
    const res = await attempt(t, alice).expect(200);
    expect(res.body).toEqual({
      user: { id: alice.id, username: 'alice', role: 'analyst', language: null },
      csrfToken: expect.any(String),
      mustChangePassword: false,
      idleTimeoutSeconds: t.config.auth.sessionIdleMs / 1000,
    });
    expect(res.headers['cache-control']).toBe('no-store');

    const setCookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith(sessionCookieName));
    const attributes = (setCookie ?? '').split(';').map((a) => a.trim().toLowerCase());
    expect(attributes).toEqual(expect.arrayContaining(['httponly', 'secure', 'samesite=strict', 'path=/']));
    expect(attributes.some((a) => a.startsWith('domain='))).toBe(false);

    const token = (sessionCookieFrom(res.headers['set-cookie']) ?? '').split('=')[1] ?? '';
    expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(16);
    const stored = rows(t.database, 'select id_hash from sessions');
    expect(stored).toEqual([{ id_hash: createHash('sha256').update(token).digest('hex') }]);
    expect(JSON.stringify(rows(t.database, 'select * from sessions'))).not.toContain(token);

    const me = await whoAmI(t, `${sessionCookieName}=${token}`).expect(200);
    expect(me.body).toEqual(res.body);
    expect(rows(t.database, 'select action, actor, object_id from audit_events order by seq').at(-1)).toEqual({
      action: 'session.login',
      actor: `user:${alice.id}`,
      object_id: String(alice.id),
    });
  });

  it('gives one generic answer for an unknown user, a wrong password and a wrong code', async () => {
    const t = createTestApp();
    const bob = await addUser(t, 'analyst', 'bob');
    const wrongCode = String((Number(totpCode(bob, t.clock.now())) + 1) % 1_000_000).padStart(6, '0');
    const answers = [
      await attempt(t, bob, { username: 'nobody' }),
      await attempt(t, bob, { password: 'not the password at all' }),
      await attempt(t, bob, { totp: wrongCode }),
    ];
    for (const res of answers) {
      expect(res.status).toBe(401);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    expect(new Set(answers.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect(answers[0]?.body.error).toBe('login_failed');
    expect(failures(t)).toEqual([{ reason: 'unknown_user' }, { reason: 'password' }, { reason: 'totp' }]);
    expect(JSON.stringify(rows(t.database, 'select * from audit_events'))).not.toContain('nobody');
  });

  it('refuses a replayed code, and an older code once a newer one was used', async () => {
    const t = createTestApp();
    const carol = await addUser(t, 'analyst', 'carol');
    const code = totpCode(carol, t.clock.now());
    await attempt(t, carol, { totp: code }).expect(200);
    await attempt(t, carol, { totp: code }).expect(401);
    t.clock.advance(step);
    const previous = code;
    await attempt(t, carol).expect(200);
    await attempt(t, carol, { totp: previous }).expect(401);
    expect(failures(t).map((f) => f.reason)).toEqual(['totp', 'totp']);
  });

  it('lets only one of two simultaneous logins with the same code through', async () => {
    const t = createTestApp();
    const dave = await addUser(t, 'analyst', 'dave');
    const statuses = (await Promise.all([attempt(t, dave), attempt(t, dave)])).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 401]);
  });

  it('accepts a code one step old (clock drift), not two', async () => {
    const t = createTestApp();
    const erin = await addUser(t, 'analyst', 'erin');
    await attempt(t, erin, { totp: totpCode(erin, t.clock.now() - 2 * step) }).expect(401);
    await attempt(t, erin, { totp: totpCode(erin, t.clock.now() - step) }).expect(200);
  });

  it('locks after 5 consecutive failures for 15 minutes, then lets the right credentials in', async () => {
    const t = createTestApp();
    const frank = await addUser(t, 'analyst', 'frank');
    for (let i = 0; i < 5; i++) await attempt(t, frank, { password: `wrong password ${i}` }).expect(401);
    const locked = await attempt(t, frank).expect(401);
    expect(locked.body.error).toBe('login_failed');
    expect(failures(t).at(-1)).toEqual({ reason: 'locked', locked: true });
    // That refused attempt while locked doubled the wait: 30 minutes from then.
    t.clock.advance(30 * minute - 1);
    await attempt(t, frank).expect(401);
    expect(failures(t).at(-1)?.reason).toBe('locked');
    t.clock.advance(60 * minute);
    await attempt(t, frank).expect(200);
    expect(rows(t.database, 'select failed_logins, locked_until from users')).toEqual([
      { failed_logins: 0, locked_until: null },
    ]);
  });

  it('caps the lock at four hours however many attempts come while locked; then the right credentials work', async () => {
    const t = createTestApp();
    const fred = await addUser(t, 'analyst', 'fred');
    const lockedUntil = () => rows(t.database, 'select locked_until from users where id = ?', fred.id)[0]?.locked_until;
    for (let i = 0; i < 5; i++) await attempt(t, fred, { password: `wrong password ${i}` }).expect(401);
    // 40 more, right and wrong alike, spread so the per-client throttle lets them through.
    for (let i = 0; i < 40; i++) {
      if (i % 15 === 14) t.clock.advance(10 * minute);
      await attempt(t, fred, i % 2 ? {} : { password: 'still wrong, still wrong' }).expect(401);
    }
    expect(
      failures(t)
        .slice(5)
        .every((f) => f.reason === 'locked'),
    ).toBe(true);
    expect(lockedUntil() - t.clock.now()).toBe(4 * 60 * minute);
    t.clock.advance(4 * 60 * minute);
    await attempt(t, fred).expect(200);
    expect(rows(t.database, 'select failed_logins, locked_until from users where id = ?', fred.id)).toEqual([
      { failed_logins: 0, locked_until: null },
    ]);
  });

  it('lets the owner in at once after an unlock, with the same password and code', async () => {
    const t = createTestApp();
    const flo = await addUser(t, 'analyst', 'flo');
    for (let i = 0; i < 8; i++) await attempt(t, flo, { password: `wrong password ${i}` }).expect(401);
    await attempt(t, flo).expect(401);
    unlockUser({ db: t.database.db, config: t.config, now: t.clock.now }, 'system', flo.id);
    await attempt(t, flo).expect(200);
  });

  it('ends the lock after lockoutMs when nobody tries during it (configurable)', async () => {
    const t = createTestApp({ env: { HOTLINE_LOCKOUT_MINUTES: '7' } });
    const gina = await addUser(t, 'analyst', 'gina');
    for (let i = 0; i < 5; i++) await attempt(t, gina, { totp: '000000' }).expect(401);
    t.clock.advance(7 * minute - step);
    await attempt(t, gina).expect(401);
    const t2 = createTestApp({ env: { HOTLINE_LOCKOUT_MINUTES: '7' } });
    const hugo = await addUser(t2, 'analyst', 'hugo');
    for (let i = 0; i < 5; i++) await attempt(t2, hugo, { totp: '000000' }).expect(401);
    t2.clock.advance(7 * minute);
    await attempt(t2, hugo).expect(200);
  });

  it('resets the failure count on success: four failures, a success, four more do not lock', async () => {
    const t = createTestApp();
    const ivy = await addUser(t, 'analyst', 'ivy');
    for (let i = 0; i < 4; i++) await attempt(t, ivy, { password: 'wrong wrong wrong' }).expect(401);
    await attempt(t, ivy).expect(200);
    for (let i = 0; i < 4; i++) await attempt(t, ivy, { password: 'wrong wrong wrong' }).expect(401);
    t.clock.advance(step);
    await attempt(t, ivy).expect(200);
  });

  it('throttles login attempts per client, whatever the account, until the window ends', async () => {
    const t = createTestApp();
    const jack = await addUser(t, 'analyst', 'jack');
    const kate = await addUser(t, 'analyst', 'kate');
    for (let i = 0; i < 20; i++) await attempt(t, jack, { password: `wrong password ${i}` }).expect(401);
    const throttled = await attempt(t, kate).expect(429);
    expect(throttled.body.error).toBe('rate_limited');
    t.clock.advance(10 * minute);
    await attempt(t, kate).expect(200);
  });

  it('refuses a disabled account with the same generic answer', async () => {
    const t = createTestApp();
    const kim = await addUser(t, 'analyst', 'kim');
    t.database.sqlite.prepare('update users set disabled_at = 1 where id = ?').run(kim.id);
    const res = await attempt(t, kim).expect(401);
    expect(res.body.error).toBe('login_failed');
    expect(failures(t)).toEqual([{ reason: 'disabled' }]);
  });

  it('gives a new session id at every login and ends the one the client came with', async () => {
    const t = createTestApp();
    const lea = await addUser(t, 'analyst', 'lea');
    const first = await signIn(t, lea);
    t.clock.advance(step);
    const second = await signIn(t, lea, { Cookie: first.cookie });
    expect(second.cookie).not.toBe(first.cookie);
    expect(second.csrfToken).not.toBe(first.csrfToken);
    await whoAmI(t, first.cookie).expect(401);
    await whoAmI(t, second.cookie).expect(200);
  });

  it('sweeps away every expired session, of this user and of others, and keeps the live ones', async () => {
    const t = createTestApp();
    const [quentin, rita] = [await addUser(t, 'analyst', 'quentin'), await addUser(t, 'analyst', 'rita')];
    const { sessionIdleMs, sessionAbsoluteMs } = t.config.auth;
    const now = t.clock.now();
    const hashOf = (s: TestSession) =>
      createHash('sha256')
        .update(s.cookie.split('=')[1] ?? '')
        .digest('hex');
    sessionFor(t, quentin, now - sessionIdleMs);
    sessionFor(t, rita, now - sessionIdleMs - minute);
    const live = sessionFor(t, rita, now - minute);
    const activeButTooOld = sessionFor(t, rita, now - sessionAbsoluteMs);
    t.database.sqlite
      .prepare('update sessions set last_seen_at = ? where id_hash = ?')
      .run(now - minute, hashOf(activeButTooOld));

    const fresh = await signIn(t, quentin);
    const left = rows(t.database, 'select id_hash from sessions').map((r) => r.id_hash);
    expect(left.sort()).toEqual([hashOf(fresh), hashOf(live)].sort());
  });

  it('wants a JSON body with the three fields', async () => {
    const t = createTestApp();
    const res = await request(t.app).post('/api/v1/session').send({ username: 'x' }).expect(400);
    expect(res.body).toMatchObject({
      error: 'validation',
      fields: { password: expect.any(String), totp: expect.any(String) },
    });
    await request(t.app).post('/api/v1/session').type('form').send('username=x&password=y&totp=123456').expect(400);
  });
});

describe('session lifetime', () => {
  it('ends after 30 idle minutes; activity keeps it alive', async () => {
    const t = createTestApp();
    const max = await addUser(t, 'analyst', 'max');
    const { cookie } = await signIn(t, max);
    t.clock.advance(29 * minute);
    await whoAmI(t, cookie).expect(200);
    t.clock.advance(29 * minute);
    await whoAmI(t, cookie).expect(200);
    t.clock.advance(30 * minute);
    await whoAmI(t, cookie).expect(401);
    expect(rows(t.database, 'select * from sessions')).toEqual([]);
  });

  it('ends 12 hours after login however active', async () => {
    const t = createTestApp();
    const nina = await addUser(t, 'analyst', 'nina');
    const { cookie } = await signIn(t, nina);
    const start = t.clock.now();
    for (let i = 0; i < 35; i++) {
      t.clock.advance(20 * minute);
      await whoAmI(t, cookie).expect(200);
    }
    t.clock.set(start + 12 * 60 * minute - 1);
    await whoAmI(t, cookie).expect(200);
    t.clock.set(start + 12 * 60 * minute);
    await whoAmI(t, cookie).expect(401);
  });

  it('follows the configured limits', async () => {
    const t = createTestApp({ env: { HOTLINE_SESSION_IDLE_MINUTES: '5', HOTLINE_SESSION_ABSOLUTE_HOURS: '1' } });
    const olga = await addUser(t, 'analyst', 'olga');
    const idle = await signIn(t, olga);
    t.clock.advance(5 * minute);
    await whoAmI(t, idle.cookie).expect(401);
    t.clock.advance(step);
    const active = await signIn(t, olga);
    for (let i = 0; i < 14; i++) {
      t.clock.advance(4 * minute);
      await whoAmI(t, active.cookie).expect(200);
    }
    t.clock.advance(4 * minute);
    await whoAmI(t, active.cookie).expect(401);
  });
});

describe('DELETE /api/v1/session', () => {
  it('logs out: 204, the cookie cleared, the session gone, an audit event', async () => {
    const t = createTestApp();
    const paul = await addUser(t, 'analyst', 'paul');
    const session = await signIn(t, paul);
    const res = await request(t.app).delete('/api/v1/session').set(asSession(session)).expect(204);
    const cleared = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith(sessionCookieName));
    expect(cleared).toMatch(/Expires=Thu, 01 Jan 1970/);
    await whoAmI(t, session.cookie).expect(401);
    expect(rows(t.database, 'select action, actor from audit_events order by seq').slice(-1)).toEqual([
      { action: 'session.logout', actor: `user:${paul.id}` },
    ]);
  });
});
