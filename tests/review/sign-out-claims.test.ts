import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../support/app.ts';
import { addUser, asSession, sessionFor } from '../support/auth.ts';
import { rows } from '../support/db.ts';
import { medium, reportAndTriage } from './fixtures.ts';

describe('an analyst’s claims end with their sessions: at sign-out, or when the account is disabled', () => {
  it('frees the item for another analyst at once, audited in the sign-out, and leaves others’ claims alone', async () => {
    const t = createTestApp();
    const [a, b, c] = [await addUser(t, 'analyst'), await addUser(t, 'analyst'), await addUser(t, 'analyst')];
    const [sa, sb, sc] = [sessionFor(t, a), sessionFor(t, b), sessionFor(t, c)];
    const next = (s: typeof sa) => request(t.app).post('/api/v1/queue/next').set(asSession(s)).send({});
    const first = reportAndTriage(t, 'https://one.example.test/', [medium('one')]);
    const second = reportAndTriage(t, 'https://two.example.test/', [medium('two')]);
    const claimedByA = (await next(sa).expect(200)).body.item.id as number;
    const claimedByC = (await next(sc).expect(200)).body.item.id as number;
    expect([claimedByA, claimedByC].sort()).toEqual([first, second].sort());
    await next(sb).expect(204);

    await request(t.app).delete('/api/v1/session').set(asSession(sa)).expect(204);

    expect((await next(sb).expect(200)).body.item.id).toBe(claimedByA);
    // C still holds theirs: Next gives C the same item back.
    expect((await next(sc).expect(200)).body.item.id).toBe(claimedByC);
    const events = rows(
      t.database,
      "select action, actor, object_id, details from audit_events where action in ('item.release', 'session.logout') order by seq",
    );
    expect(events.map((e) => [e.action, e.actor, e.object_id, JSON.parse(e.details)])).toEqual([
      ['item.release', `user:${a.id}`, String(claimedByA), { reason: 'sign_out' }],
      ['session.logout', `user:${a.id}`, String(a.id), {}],
    ]);
  });

  it('signing out without a claim releases nothing', async () => {
    const t = createTestApp();
    const a = sessionFor(t, await addUser(t, 'analyst'));
    await request(t.app).delete('/api/v1/session').set(asSession(a)).expect(204);
    expect(rows(t.database, "select * from audit_events where action = 'item.release'")).toEqual([]);
  });

  it('disabling an account releases its claims too, in the same change', async () => {
    const t = createTestApp();
    const a = await addUser(t, 'analyst');
    const sa = sessionFor(t, a);
    const sb = sessionFor(t, await addUser(t, 'analyst'));
    const admin = sessionFor(t, await addUser(t, 'admin'));
    const item = reportAndTriage(t, 'https://one.example.test/', [medium('one')]);
    await request(t.app).post('/api/v1/queue/next').set(asSession(sa)).send({}).expect(200);
    await request(t.app).patch(`/api/v1/users/${a.id}`).set(asSession(admin)).send({ disabled: true }).expect(200);
    const released = rows(t.database, "select object_id, details from audit_events where action = 'item.release'");
    expect(released.map((e) => [e.object_id, JSON.parse(e.details)])).toEqual([[String(item), { reason: 'disabled' }]]);
    expect((await request(t.app).post('/api/v1/queue/next').set(asSession(sb)).send({}).expect(200)).body.item.id).toBe(
      item,
    );
  });
});
