import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { addUser, asSession, sessionFor, signIn, type TestSession, type TestUser, totpCode } from '../support/auth.ts';
import { rows } from '../support/db.ts';

// Accounts an admin makes through the API must choose their own password at first sign-in.

describe('POST /api/v1/session/password', () => {
  let t: TestApp;
  let made: TestUser;
  let session: TestSession;

  beforeAll(async () => {
    t = createTestApp();
    const admin = sessionFor(t, await addUser(t, 'admin'));
    const password = 'a password the admin chose 42';
    const res = await request(t.app)
      .post('/api/v1/users')
      .set(asSession(admin))
      .send({ username: 'newcomer', role: 'analyst', password })
      .expect(201);
    made = { id: res.body.user.id, username: 'newcomer', role: 'analyst', password, totpSecret: res.body.totpSecret };
  });

  it('the sign-in answer says the password must change, and the session reaches nothing else', async () => {
    const login = await request(t.app)
      .post('/api/v1/session')
      .send({ username: made.username, password: made.password, totp: totpCode(made, t.clock.now()) })
      .expect(200);
    expect(login.body.mustChangePassword).toBe(true);
    const cookie = String(login.headers['set-cookie']).split(';')[0] as string;
    session = { cookie, csrfToken: login.body.csrfToken };
    const refused = await request(t.app).get('/api/v1/queue').set(asSession(session)).expect(403);
    expect(refused.body.error).toBe('password_change_required');
    await request(t.app).get('/api/v1/items').set(asSession(session)).expect(403);
    const me = await request(t.app).get('/api/v1/session').set(asSession(session)).expect(200);
    expect(me.body.mustChangePassword).toBe(true);
  });

  it('refuses a wrong current password or a weak new one, naming the field, and changes nothing', async () => {
    const change = (body: object) =>
      request(t.app).post('/api/v1/session/password').set(asSession(session)).set('Accept-Language', 'en').send(body);
    const wrong = await change({ current: 'not it at all, sorry', new: 'a far better passphrase 77' }).expect(400);
    expect(wrong.body.fields).toEqual({ current: 'The current password is not correct.' });
    const weak = await change({ current: made.password, new: 'short' }).expect(400);
    expect(Object.keys(weak.body.fields)).toEqual(['new']);
    const same = await change({ current: made.password, new: made.password }).expect(400);
    expect(Object.keys(same.body.fields)).toEqual(['new']);
    await request(t.app).get('/api/v1/queue').set(asSession(session)).expect(403);
  });

  it('after the change the session reaches the workspace, the new password signs in, and it is audited', async () => {
    const fresh = 'my very own passphrase 2026';
    await request(t.app)
      .post('/api/v1/session/password')
      .set(asSession(session))
      .send({ current: made.password, new: fresh })
      .expect(204);
    await request(t.app).get('/api/v1/queue').set(asSession(session)).expect(200);
    t.clock.advance(30_000);
    const again = await signIn(t, { ...made, password: fresh });
    await request(t.app).get('/api/v1/queue').set(asSession(again)).expect(200);
    const events = rows(t.database, "select actor from audit_events where action = 'user.password_change'");
    expect(events).toEqual([{ actor: `user:${made.id}` }]);
  });

  it('accounts made with the CLI chose their own password and need not change it', async () => {
    const cliMade = await addUser(t, 'analyst');
    t.clock.advance(30_000);
    const res = await request(t.app)
      .post('/api/v1/session')
      .send({ username: cliMade.username, password: cliMade.password, totp: totpCode(cliMade, t.clock.now()) })
      .expect(200);
    expect(res.body.mustChangePassword).toBe(false);
  });
});
