import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { userActor } from '../../src/audit/chain.ts';
import { recordAuditEvent } from '../../src/audit/record.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { addUser, asSession, sessionFor } from '../support/auth.ts';

async function withSupervisor(): Promise<{ t: TestApp; headers: Record<string, string> }> {
  const t = createTestApp();
  const sup = await addUser(t, 'supervisor', 'sup');
  return { t, headers: asSession(sessionFor(t, sup)) };
}

function addEvents(t: TestApp, count: number, objectId: (i: number) => number) {
  t.database.db.transaction((tx) => {
    for (let i = 0; i < count; i++) {
      recordAuditEvent(tx, {
        at: t.clock.now() + i,
        actor: userActor(1),
        action: 'user.role_change',
        objectType: 'user',
        objectId: objectId(i),
        details: { i },
      });
    }
  });
}

describe('GET /api/v1/audit', () => {
  it('lists every event newest first, 50 a page', async () => {
    const { t, headers } = await withSupervisor();
    addEvents(t, 60, (i) => 100 + i);
    const first = await request(t.app).get('/api/v1/audit').set(headers).expect(200);
    const total = 61; // the supervisor's own user.create, then the 60 above
    expect(first.body).toMatchObject({ page: 1, pageSize: 50, hasMore: true });
    expect(first.body.events.map((e: { seq: number }) => e.seq)).toEqual(
      Array.from({ length: 50 }, (_, i) => total - i),
    );
    const second = await request(t.app).get('/api/v1/audit?page=2').set(headers).expect(200);
    expect(second.body.hasMore).toBe(false);
    expect(second.body.events.map((e: { seq: number }) => e.seq)).toEqual(
      Array.from({ length: total - 50 }, (_, i) => total - 50 - i),
    );
    expect(second.body.events.at(-1)).toMatchObject({ action: 'user.create', actor: 'system', objectType: 'user' });
    expect(first.body.events[0]).toEqual({
      seq: 61,
      at: new Date(t.clock.now() + 59).toISOString(),
      actor: 'user:1',
      action: 'user.role_change',
      objectType: 'user',
      objectId: '159',
      details: { i: 59 },
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('lists the events of one object, or of one object type', async () => {
    const { t, headers } = await withSupervisor();
    addEvents(t, 9, (i) => (i % 3 === 0 ? 7 : 8));
    const seven = await request(t.app).get('/api/v1/audit?object=user:7').set(headers).expect(200);
    expect(seven.body.events.map((e: { details: { i: number } }) => e.details.i)).toEqual([6, 3, 0]);
    const users = await request(t.app).get('/api/v1/audit?object=user').set(headers).expect(200);
    expect(users.body.events).toHaveLength(10);
    const none = await request(t.app).get('/api/v1/audit?object=report:7').set(headers).expect(200);
    expect(none.body.events).toEqual([]);
  });

  it.each(['object=User:7', 'object=user:', 'object=:7', 'page=0', 'page=x', 'object=a&object=b'])(
    'refuses %s with 400',
    async (query) => {
      const { t, headers } = await withSupervisor();
      const res = await request(t.app).get(`/api/v1/audit?${query}`).set(headers).expect(400);
      expect(res.body.error).toBe('validation');
    },
  );
});
