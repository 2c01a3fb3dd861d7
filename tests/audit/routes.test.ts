import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { auditKey, userActor } from '../../src/audit/chain.ts';
import { auditedTransaction, recordAuditEvent } from '../../src/audit/record.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { addUser, asSession, sessionFor } from '../support/auth.ts';

async function withSupervisor(): Promise<{ t: TestApp; headers: Record<string, string> }> {
  const t = createTestApp();
  const sup = await addUser(t, 'supervisor', 'sup');
  return { t, headers: asSession(sessionFor(t, sup)) };
}

function addEvents(t: TestApp, count: number, objectId: (i: number) => number) {
  auditedTransaction(t.database.db, (tx) => {
    for (let i = 0; i < count; i++) {
      recordAuditEvent(tx, auditKey(t.config), {
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

const seqs = (body: { events: { seq: number }[] }) => body.events.map((e) => e.seq);
const descending = (from: number, length: number) => Array.from({ length }, (_, i) => from - i);

describe('GET /api/v1/audit', () => {
  it('lists every event newest first, 50 a page, each page after the `next` of the one before', async () => {
    const { t, headers } = await withSupervisor();
    addEvents(t, 60, (i) => 100 + i);
    const total = 61; // the supervisor's own user.create, then the 60 above
    const first = await request(t.app).get('/api/v1/audit').set(headers).expect(200);
    expect(seqs(first.body)).toEqual(descending(total, 50));
    expect(first.body.next).toBe(total - 49);
    const second = await request(t.app).get(`/api/v1/audit?before=${first.body.next}`).set(headers).expect(200);
    expect(seqs(second.body)).toEqual(descending(total - 50, total - 50));
    expect(second.body.next).toBeNull();
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

  it('takes a page size up to 200', async () => {
    const { t, headers } = await withSupervisor();
    addEvents(t, 250, (i) => i);
    const big = await request(t.app).get('/api/v1/audit?limit=200').set(headers).expect(200);
    expect(seqs(big.body)).toEqual(descending(251, 200));
    expect(big.body.next).toBe(52);
    const small = await request(t.app).get('/api/v1/audit?limit=3&before=10').set(headers).expect(200);
    expect(small.body).toMatchObject({ next: 7 });
    expect(seqs(small.body)).toEqual([9, 8, 7]);
    const last = await request(t.app).get('/api/v1/audit?limit=3&before=4').set(headers).expect(200);
    expect(last.body).toMatchObject({ next: null });
    expect(seqs(last.body)).toEqual([3, 2, 1]);
  });

  it('pages the events of one object, or of one object type', async () => {
    const { t, headers } = await withSupervisor();
    addEvents(t, 9, (i) => (i % 3 === 0 ? 7 : 8));
    const seven = await request(t.app).get('/api/v1/audit?object=user:7').set(headers).expect(200);
    expect(seven.body.events.map((e: { details: { i: number } }) => e.details.i)).toEqual([6, 3, 0]);
    const page = await request(t.app).get('/api/v1/audit?object=user:7&limit=2').set(headers).expect(200);
    expect(page.body.events.map((e: { details: { i: number } }) => e.details.i)).toEqual([6, 3]);
    const rest = await request(t.app)
      .get(`/api/v1/audit?object=user:7&limit=2&before=${page.body.next}`)
      .set(headers)
      .expect(200);
    expect(rest.body.events.map((e: { details: { i: number } }) => e.details.i)).toEqual([0]);
    expect(rest.body.next).toBeNull();
    const users = await request(t.app).get('/api/v1/audit?object=user').set(headers).expect(200);
    expect(users.body.events).toHaveLength(10);
    const none = await request(t.app).get('/api/v1/audit?object=report:7').set(headers).expect(200);
    expect(none.body).toEqual({ events: [], next: null });
  });

  it.each([
    'object=User:7',
    'object=user:',
    'object=:7',
    'object=a&object=b',
    'before=0',
    'before=02',
    'before=x',
    'before=1e3',
    'limit=0',
    'limit=201',
    'limit=-1',
    'limit=5.5',
    'page=2',
  ])('refuses %s with 400', async (query) => {
    const { t, headers } = await withSupervisor();
    const res = await request(t.app).get(`/api/v1/audit?${query}`).set(headers).expect(400);
    expect(res.body.error).toBe('validation');
  });
});
