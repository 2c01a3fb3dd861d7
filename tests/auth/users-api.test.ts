import { generateSync } from 'otplib';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { deriveKey, open } from '../../src/crypto/seal.ts';
import { translate } from '../../src/http/i18n.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { addUser, asSession, sessionFor, type TestSession } from '../support/auth.ts';
import { row, rows } from '../support/db.ts';

async function withAdmin(): Promise<{ t: TestApp; admin: TestSession; adminId: number }> {
  const t = createTestApp();
  const user = await addUser(t, 'admin', 'root');
  return { t, admin: sessionFor(t, user), adminId: user.id };
}

const auditActions = (t: TestApp) =>
  rows(t.database, 'select action from audit_events order by seq').map((r) => r.action);

describe('POST /api/v1/users', () => {
  it('creates an account: 201, the TOTP secret once, sealed at rest, and the account can log in', async () => {
    const { t, admin, adminId } = await withAdmin();
    const res = await request(t.app)
      .post('/api/v1/users')
      .set(asSession(admin))
      .send({ username: 'Quinn', role: 'supervisor', password: 'a long and unusual passphrase' })
      .expect(201);
    expect(res.body).toEqual({
      user: {
        id: expect.any(Number),
        username: 'quinn',
        role: 'supervisor',
        disabled: false,
        lockedUntil: null,
        createdAt: expect.any(String),
      },
      totpSecret: expect.stringMatching(/^[A-Z2-7]{32}$/),
      otpauthUri: expect.stringContaining('otpauth://totp/'),
    });
    const stored = row(t.database, 'select * from users where username = ?', 'quinn');
    expect(JSON.stringify(stored)).not.toContain(res.body.totpSecret);
    expect(stored.password_hash).toMatch(/^\$argon2id\$/);
    const totpKey = deriveKey(t.config.secretKey, 'totp-secret');
    const place = { table: 'users', column: 'totp_secret_sealed', rowId: stored.id };
    expect(open(totpKey, stored.totp_secret_sealed, place)).toBe(res.body.totpSecret);
    expect(() => open(totpKey, stored.totp_secret_sealed, { ...place, rowId: stored.id + 1 })).toThrow();

    const code = generateSync({ secret: res.body.totpSecret, epoch: Math.floor(t.clock.now() / 1000) });
    await request(t.app)
      .post('/api/v1/session')
      .send({ username: 'quinn', password: 'a long and unusual passphrase', totp: code })
      .expect(200);
    const created = row(
      t.database,
      `select * from audit_events where action = 'user.create' and object_id = ?`,
      String(stored.id),
    );
    expect(created.actor).toBe(`user:${adminId}`);
    expect(JSON.parse(created.details)).toEqual({ role: 'supervisor', mustChangePassword: true });
  });

  it.each([
    [{ username: 'ok.name', role: 'analyst', password: 'short' }, 'password', 'error.password.too_short'],
    [{ username: 'ok.name', role: 'analyst', password: 'Password1234' }, 'password', 'error.password.too_common'],
    [
      { username: 'ok.name', role: 'analyst', password: 'ok.name is my long password' },
      'password',
      'error.password.contains_username',
    ],
    [
      { username: 'a b', role: 'analyst', password: 'a long and unusual passphrase' },
      'username',
      'error.username.invalid',
    ],
    [{ username: 'ok.name', role: 'root', password: 'a long and unusual passphrase' }, 'role', 'error.field.invalid'],
    [{ username: 'ok.name', role: 'analyst' }, 'password', 'error.field.invalid'],
    [
      { username: 'ok.name', role: 'analyst', password: 'a long and unusual passphrase', admin: true },
      'admin',
      'error.field.unknown',
    ],
  ])('refuses %j with a validation error on %s', async (body, field, messageKey) => {
    const { t, admin } = await withAdmin();
    const res = await request(t.app).post('/api/v1/users').set(asSession(admin)).send(body).expect(400);
    expect(res.body.error).toBe('validation');
    expect(res.body.fields[field]).toBe(translate('fr', messageKey));
    expect(rows(t.database, 'select username from users')).toEqual([{ username: 'root' }]);
  });

  it('refuses a taken username with 409', async () => {
    const { t, admin } = await withAdmin();
    const res = await request(t.app)
      .post('/api/v1/users')
      .set(asSession(admin))
      .send({ username: 'ROOT', role: 'analyst', password: 'a long and unusual passphrase' })
      .expect(409);
    expect(res.body.error).toBe('username_taken');
  });
});

describe('GET /api/v1/users', () => {
  it('lists accounts without any secret', async () => {
    const { t, admin } = await withAdmin();
    await addUser(t, 'analyst', 'rosa');
    const res = await request(t.app).get('/api/v1/users').set(asSession(admin)).expect(200);
    expect(res.body.users.map((u: { username: string }) => u.username)).toEqual(['root', 'rosa']);
    expect(Object.keys(res.body.users[0]).sort()).toEqual([
      'createdAt',
      'disabled',
      'id',
      'lockedUntil',
      'role',
      'username',
    ]);
  });
});

describe('PATCH /api/v1/users/:id', () => {
  it('disables an account and ends its sessions at once, then enables it again', async () => {
    const { t, admin } = await withAdmin();
    const sam = await addUser(t, 'analyst', 'sam');
    const samSession = sessionFor(t, sam);
    await request(t.app).get('/api/v1/session').set(asSession(samSession)).expect(200);
    const res = await request(t.app)
      .patch(`/api/v1/users/${sam.id}`)
      .set(asSession(admin))
      .send({ disabled: true })
      .expect(200);
    expect(res.body.user).toMatchObject({ username: 'sam', disabled: true });
    expect(rows(t.database, 'select * from sessions where user_id = ?', sam.id)).toEqual([]);
    await request(t.app).get('/api/v1/session').set(asSession(samSession)).expect(401);
    await request(t.app).patch(`/api/v1/users/${sam.id}`).set(asSession(admin)).send({ disabled: false }).expect(200);
    expect(auditActions(t).slice(-2)).toEqual(['user.disable', 'user.enable']);
  });

  it('changes a role, which applies to live sessions at once', async () => {
    const { t, admin } = await withAdmin();
    const tina = await addUser(t, 'analyst', 'tina');
    const tinaSession = sessionFor(t, tina);
    await request(t.app).get('/api/v1/audit').set(asSession(tinaSession)).expect(403);
    await request(t.app)
      .patch(`/api/v1/users/${tina.id}`)
      .set(asSession(admin))
      .send({ role: 'supervisor' })
      .expect(200);
    await request(t.app).get('/api/v1/audit').set(asSession(tinaSession)).expect(200);
    const change = row(t.database, `select * from audit_events where action = 'user.role_change'`);
    expect(JSON.parse(change.details)).toEqual({ from: 'analyst', to: 'supervisor' });
  });

  it('keeps at least one active admin', async () => {
    const { t, admin, adminId } = await withAdmin();
    for (const change of [{ disabled: true }, { role: 'analyst' }]) {
      const res = await request(t.app).patch(`/api/v1/users/${adminId}`).set(asSession(admin)).send(change).expect(409);
      expect(res.body.error).toBe('last_admin');
    }
    const second = await addUser(t, 'admin', 'uma');
    await request(t.app)
      .patch(`/api/v1/users/${second.id}`)
      .set(asSession(admin))
      .send({ role: 'analyst' })
      .expect(200);
  });

  it.each(['0x2', '2e0', '02', '%202', '2%20', '+2', '2.0', '0', '-2', '9007199254740993', '1'.repeat(17)])(
    'answers 404 for the id spelling %s, which a number coercion would take',
    async (spelling) => {
      const { t, admin } = await withAdmin();
      const target = await addUser(t, 'analyst', 'vic');
      expect(target.id).toBe(2);
      await request(t.app).patch('/api/v1/users/2').set(asSession(admin)).send({ disabled: false }).expect(200);
      const res = await request(t.app)
        .patch(`/api/v1/users/${spelling}`)
        .set(asSession(admin))
        .send({ disabled: true })
        .expect(404);
      expect(res.body.error).toBe('not_found');
      expect(row(t.database, 'select disabled_at from users where id = 2').disabled_at).toBeNull();
    },
  );

  it('names a `__proto__` field like any other unknown field', async () => {
    const { t, admin, adminId } = await withAdmin();
    const res = await request(t.app)
      .patch(`/api/v1/users/${adminId}`)
      .set(asSession(admin))
      .set('Content-Type', 'application/json')
      .send('{"role":"admin","__proto__":{"polluted":true}}')
      .expect(400);
    expect(res.body.error).toBe('validation');
    expect(Object.entries(res.body.fields)).toEqual([['__proto__', translate('fr', 'error.field.unknown')]]);
  });

  it('answers 404 for an unknown or malformed id and 400 for an empty change', async () => {
    const { t, admin, adminId } = await withAdmin();
    await request(t.app).patch('/api/v1/users/9999').set(asSession(admin)).send({ disabled: true }).expect(404);
    await request(t.app).patch('/api/v1/users/abc').set(asSession(admin)).send({ disabled: true }).expect(404);
    const res = await request(t.app).patch(`/api/v1/users/${adminId}`).set(asSession(admin)).send({}).expect(400);
    expect(res.body.error).toBe('validation');
  });
});

describe('POST /api/v1/users/:id/reset and /unlock', () => {
  it('resets password and TOTP: sessions end, the lock ends, the new password must be changed, audited', async () => {
    const { t, admin } = await withAdmin();
    const wes = await addUser(t, 'analyst', 'wes');
    const wesSession = sessionFor(t, wes);
    t.database.sqlite.prepare('update users set failed_logins = 5, locked_until = ? where id = ?').run(9e15, wes.id);
    const res = await request(t.app)
      .post(`/api/v1/users/${wes.id}/reset`)
      .set(asSession(admin))
      .send({ password: 'a fresh temporary passphrase' })
      .expect(200);
    expect(res.body).toMatchObject({ user: { username: 'wes', lockedUntil: null }, totpSecret: expect.any(String) });
    expect(res.body.totpSecret).not.toBe(wes.totpSecret);
    await request(t.app).get('/api/v1/session').set(asSession(wesSession)).expect(401);
    expect(row(t.database, 'select must_change_password from users where id = ?', wes.id).must_change_password).toBe(1);
    expect(auditActions(t).at(-1)).toBe('user.reset');
  });

  it('refuses a weak password with a localised field error and changes nothing', async () => {
    const { t, admin } = await withAdmin();
    const xia = await addUser(t, 'analyst', 'xia');
    const before = row(t.database, 'select password_hash from users where id = ?', xia.id).password_hash;
    const res = await request(t.app)
      .post(`/api/v1/users/${xia.id}/reset`)
      .set(asSession(admin))
      .set('Accept-Language', 'en')
      .send({ password: 'short' })
      .expect(400);
    expect(Object.keys(res.body.fields)).toEqual(['password']);
    expect(row(t.database, 'select password_hash from users where id = ?', xia.id).password_hash).toBe(before);
    await request(t.app).post('/api/v1/users/9999/reset').set(asSession(admin)).send({ password: 'x' }).expect(404);
  });

  it('unlocks a locked account, keeping its password, audited; analysts may not', async () => {
    const { t, admin } = await withAdmin();
    const yan = await addUser(t, 'analyst', 'yan');
    t.database.sqlite.prepare('update users set failed_logins = 5, locked_until = ? where id = ?').run(9e15, yan.id);
    await request(t.app)
      .post(`/api/v1/users/${yan.id}/unlock`)
      .set(asSession(sessionFor(t, yan)))
      .expect(403);
    const res = await request(t.app).post(`/api/v1/users/${yan.id}/unlock`).set(asSession(admin)).expect(200);
    expect(res.body.user).toMatchObject({ username: 'yan', lockedUntil: null });
    expect(row(t.database, 'select failed_logins from users where id = ?', yan.id).failed_logins).toBe(0);
    expect(auditActions(t).at(-1)).toBe('user.unlock');
  });
});
