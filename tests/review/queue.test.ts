import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { addUser, asSession, sessionFor, type TestSession, type TestUser } from '../support/auth.ts';
import { countRows, rows } from '../support/db.ts';
import { medium, reportAndTriage } from './fixtures.ts';

const hour = 3_600_000;
let t: TestApp;
let analystA: TestUser;
let a: TestSession;
let b: TestSession;
let supervisor: TestSession;

beforeEach(async () => {
  t = createTestApp();
  analystA = await addUser(t, 'analyst');
  a = sessionFor(t, analystA);
  b = sessionFor(t, await addUser(t, 'analyst'));
  supervisor = sessionFor(t, await addUser(t, 'supervisor'));
});

const next = (s: TestSession) => request(t.app).post('/api/v1/queue/next').set(asSession(s)).send({});
const queue = (s: TestSession) => request(t.app).get('/api/v1/queue').set(asSession(s));

describe('GET /api/v1/queue', () => {
  it('counts every queue and the caller’s exposure today', async () => {
    reportAndTriage(t, 'https://a.example.test/', [medium('a')]);
    reportAndTriage(t, 'https://b.example.test/', [medium('b')]);
    reportAndTriage(t, 'https://c.example.test/', [], { error: 'timeout' });
    const res = await queue(a).expect(200);
    expect(res.body.queues).toEqual({ new: 2, to_confirm: 0, disputed: 0, known: 0, unreachable: 1, gone: 0 });
    expect(res.body.exposure).toMatchObject({ usedMs: 0, limitMs: 120 * 60_000, warning: false, exhausted: false });
  });
});

describe('POST /api/v1/queue/next', () => {
  it('answers 204 when nothing waits', async () => {
    await next(a).expect(204);
  });

  it('claims the highest priority first, and waiting lifts an old item over a newer, higher one', async () => {
    const old = reportAndTriage(t, 'https://old.example.test/', [medium('old')], { category: 'other' });
    t.clock.advance(30 * hour);
    const fresh = reportAndTriage(t, 'https://fresh.example.test/', [medium('fresh')], { category: 'sexting' });
    // sexting earns 20 points at triage, `other` none; 30 hours of waiting earn the old item 24.
    const res = await next(sessionFor(t, await addUser(t, 'analyst'))).expect(200);
    expect(res.body.item.id).toBe(old);
    expect((await next(sessionFor(t, await addUser(t, 'analyst'))).expect(200)).body.item.id).toBe(fresh);
  });

  it('locks the item for 15 minutes: others do not get it, its holder gets it back, then it lapses', async () => {
    const only = reportAndTriage(t, 'https://a.example.test/', [medium('a')]);
    expect((await next(a).expect(200)).body.item.id).toBe(only);
    await next(b).expect(204);
    expect((await next(a).expect(200)).body.item.id).toBe(only);
    const list = await request(t.app).get('/api/v1/items?state=new').set(asSession(b)).expect(200);
    const until = new Date(t.clock.now() + 15 * 60_000).toISOString();
    const holder = (await request(t.app).get('/api/v1/session').set(asSession(a)).expect(200)).body.user;
    expect(list.body.items[0]).toMatchObject({
      id: only,
      claimedBy: holder.id,
      claim: { username: holder.username, until },
    });
    t.clock.advance(15 * 60_000);
    expect((await next(sessionFor(t, await addUser(t, 'analyst'))).expect(200)).body.item.id).toBe(only);
  });

  it('skip needs a reason, and the item is not served again to the same analyst that day', async () => {
    const only = reportAndTriage(t, 'https://a.example.test/', [medium('a')]);
    await next(a).expect(200);
    const skip = (body: object) =>
      request(t.app).post(`/api/v1/items/${only}/skip`).set(asSession(a)).set('Accept-Language', 'en').send(body);
    const refused = await skip({ reason: '  ' }).expect(400);
    expect(refused.body.fields).toEqual({ reason: 'Give a reason.' });
    expect(countRows(t.database, 'item_skips')).toBe(0);
    await skip({ reason: 'I know the site owner' }).expect(204);
    await next(a).expect(204);
    expect((await next(b).expect(200)).body.item.id).toBe(only);
    await request(t.app).post(`/api/v1/items/${only}/release`).set(asSession(b)).send({}).expect(204);
    t.clock.advance(24 * hour);
    expect((await next(sessionFor(t, analystA)).expect(200)).body.item.id).toBe(only);
  });

  it('release frees the item for others; releasing what one does not hold is a conflict', async () => {
    const only = reportAndTriage(t, 'https://a.example.test/', [medium('a')]);
    await next(a).expect(200);
    const release = (s: TestSession) => request(t.app).post(`/api/v1/items/${only}/release`).set(asSession(s)).send({});
    expect((await release(b).expect(409)).body.error).toBe('not_claimed');
    await release(a).expect(204);
    expect((await next(b).expect(200)).body.item.id).toBe(only);
  });
});

describe('GET /api/v1/items', () => {
  it('pages by keyset, newest first, with filters', async () => {
    const ids = ['a', 'b', 'c', 'd', 'e'].map((n) => reportAndTriage(t, `https://${n}.example.test/`, [medium(n)]));
    reportAndTriage(t, 'https://gone.example.test/', [], { error: 'timeout' });
    const page1 = await request(t.app).get('/api/v1/items?state=new&limit=2').set(asSession(a)).expect(200);
    expect(page1.body.items.map((i: { id: number }) => i.id)).toEqual([ids[4], ids[3]]);
    const page2 = await request(t.app)
      .get(`/api/v1/items?state=new&limit=2&cursor=${page1.body.next}`)
      .set(asSession(a))
      .expect(200);
    expect(page2.body.items.map((i: { id: number }) => i.id)).toEqual([ids[2], ids[1]]);
    const unreachable = await request(t.app).get('/api/v1/items?state=unreachable').set(asSession(a)).expect(200);
    expect(unreachable.body.items).toHaveLength(1);
    const belgian = await request(t.app).get('/api/v1/items?country=be&matched=false').set(asSession(a)).expect(200);
    expect(belgian.body.items).toHaveLength(6);
    const bad = await request(t.app).get('/api/v1/items?state=nonsense&cursor=0').set(asSession(a)).expect(400);
    expect(Object.keys(bad.body.fields).sort()).toEqual(['cursor', 'state']);
  });
});

describe('GET /api/v1/items/:id', () => {
  it('shows reports to the minute without contact, media with signals and hosting, and the history', async () => {
    t.clock.advance(37_123);
    const id = reportAndTriage(t, 'https://a.example.test/', [medium('a')], { contact: 'me@example.test' });
    await next(a).expect(200);
    const res = await request(t.app).get(`/api/v1/items/${id}`).set(asSession(supervisor)).expect(200);
    const { item } = res.body;
    expect(item.reports).toHaveLength(1);
    expect(item.reports[0].receivedAt).toMatch(/:00\.000Z$/);
    expect(JSON.stringify(res.body)).not.toContain('me@example.test');
    expect(item.media[0]).toMatchObject({
      n: 0,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      hosting: { country: 'NL' },
    });
    expect(item.review.claim).not.toBeNull();
    // The queue as the home screen counts it, not the raw column (null for an item nobody assessed).
    expect(item.review.queue).toBe('new');
    expect(item.history.map((e: { action: string }) => e.action)).toEqual(['item.view', 'item.claim']);
    const missing = await request(t.app).get('/api/v1/items/999').set(asSession(a)).expect(404);
    expect(missing.body.error).toBe('item_not_found');

    // The contact address: only to supervisors, only on request, and the request is in the item's history.
    const reportId = item.reports[0].id;
    await request(t.app).get(`/api/v1/reports/${reportId}/contact`).set(asSession(a)).expect(403);
    const contact = await request(t.app).get(`/api/v1/reports/${reportId}/contact`).set(asSession(supervisor));
    expect(contact.body).toEqual({ contact: 'me@example.test' });
    const history = await request(t.app).get(`/api/v1/items/${id}`).set(asSession(supervisor)).expect(200);
    expect(history.body.item.history[1]).toMatchObject({ action: 'report.contact_view', objectType: 'report' });
  });
});

it('audits claims, skips and releases on the item', async () => {
  const id = reportAndTriage(t, 'https://a.example.test/', [medium('a')]);
  await next(a).expect(200);
  await request(t.app).post(`/api/v1/items/${id}/release`).set(asSession(a)).send({}).expect(204);
  const actions = rows(t.database, "select action from audit_events where object_type = 'item' order by seq");
  expect(actions.map((r) => r.action)).toEqual(['item.claim', 'item.release']);
});

describe('the order of Next', () => {
  it('adds waiting to the stored priority: highest sum first, the oldest first among equals', async () => {
    const set = (id: number, priority: number, hoursAgo: number) =>
      t.database.sqlite
        .prepare('update items set priority = ?, first_reported_at = ? where id = ?')
        .run(priority, t.clock.now() - hoursAgo * hour, id);
    const ids = ['a', 'b', 'c', 'd', 'e'].map((n) => reportAndTriage(t, `https://${n}.example.test/`, [medium(n)]));
    const [fresh100, old80, old60, tieNewer, tieOlder] = ids as [number, number, number, number, number];
    set(fresh100, 100, 0); // 100
    set(old80, 80, 30); // 80 + 24 = 104
    set(old60, 60, 100); // 60 + 24 = 84
    set(tieNewer, 94, 10); // 104, but newer than old80
    set(tieOlder, 74, 50); // 98
    const order: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await next(sessionFor(t, await addUser(t, 'analyst'))).expect(200);
      order.push(res.body.item.id);
    }
    expect(order).toEqual([old80, tieNewer, fresh100, tieOlder, old60]);
  });
});
