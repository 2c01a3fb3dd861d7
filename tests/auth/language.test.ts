import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../support/app.ts';
import { addUser, asSession, sessionFor, signIn, totpCode } from '../support/auth.ts';
import { rows } from '../support/db.ts';

describe('the workspace language, kept on the account', () => {
  it('is null until chosen, then answered at every sign-in and session read, on any device; each change audited', async () => {
    const t = createTestApp();
    const user = await addUser(t, 'analyst');
    const laptop = await signIn(t, user);
    const session = await request(t.app).get('/api/v1/session').set(asSession(laptop)).expect(200);
    expect(session.body.user.language).toBeNull();

    const changed = await request(t.app)
      .patch('/api/v1/session')
      .set(asSession(laptop))
      .send({ language: 'nl' })
      .expect(200);
    expect(changed.body.user).toMatchObject({ id: user.id, language: 'nl' });
    expect(changed.body.csrfToken).toBe(laptop.csrfToken);

    t.clock.advance(60_000); // a fresh TOTP step for the second sign-in
    const phone = await signIn(t, user);
    const res = await request(t.app).get('/api/v1/session').set(asSession(phone)).expect(200);
    expect(res.body.user.language).toBe('nl');

    // The same language again changes nothing and records nothing.
    await request(t.app).patch('/api/v1/session').set(asSession(phone)).send({ language: 'nl' }).expect(200);
    await request(t.app).patch('/api/v1/session').set(asSession(phone)).send({ language: 'fr' }).expect(200);
    const events = rows(
      t.database,
      "select actor, object_id, details from audit_events where action = 'user.language_change'",
    );
    expect(events.map((e) => [e.actor, e.object_id, JSON.parse(e.details)])).toEqual([
      [`user:${user.id}`, String(user.id), { from: null, to: 'nl' }],
      [`user:${user.id}`, String(user.id), { from: 'nl', to: 'fr' }],
    ]);
  });

  it('answers the language in the sign-in answer', async () => {
    const t = createTestApp();
    const user = await addUser(t, 'supervisor');
    t.database.sqlite.prepare("update users set language = 'fr' where id = ?").run(user.id);
    const res = await request(t.app)
      .post('/api/v1/session')
      .send({ username: user.username, password: user.password, totp: totpCode(user, t.clock.now()) })
      .expect(200);
    expect(res.body.user).toEqual({ id: user.id, username: user.username, role: 'supervisor', language: 'fr' });
  });

  it('refuses a language the workspace does not speak, or another field, naming it; nothing changes', async () => {
    const t = createTestApp();
    const user = await addUser(t, 'admin');
    const s = sessionFor(t, user);
    const bad = await request(t.app)
      .patch('/api/v1/session')
      .set({ ...asSession(s), 'Accept-Language': 'en' })
      .send({ language: 'de', role: 'admin' })
      .expect(400);
    expect(Object.keys(bad.body.fields).sort()).toEqual(['language', 'role']);
    await request(t.app).patch('/api/v1/session').set(asSession(s)).send({}).expect(400);
    expect(rows(t.database, 'select language from users where id = ?', user.id)).toEqual([{ language: null }]);
    expect(rows(t.database, "select * from audit_events where action = 'user.language_change'")).toEqual([]);
  });
});
