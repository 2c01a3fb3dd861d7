import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { createBank, insertBankEntries } from '../../src/banks/commands.ts';
import { rareReports } from '../../src/review/item-list.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { addUser, asSession, sessionFor, type TestSession, type TestUser } from '../support/auth.ts';
import { countRows, row, rows } from '../support/db.ts';
import { medium, reportAndTriage, reportUrl } from './fixtures.ts';

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

describe('the daily exposure budget', () => {
  it('renews at Brussels midnight, not UTC midnight, and the team view counts the same day', async () => {
    const charge = t.database.sqlite.prepare('insert into analyst_exposure (user_id, day, ms) values (?, ?, ?)');
    charge.run(analystA.id, '2026-01-14', 120 * 60_000);
    const exposureAt = async (iso: string) => {
      t.clock.set(Date.parse(iso));
      return (await queue(sessionFor(t, analystA)).expect(200)).body.exposure;
    };
    // 23:59 in Brussels on 14 January: spent.
    expect(await exposureAt('2026-01-14T22:59:00Z')).toMatchObject({ day: '2026-01-14', exhausted: true });
    // 00:05 on the 15th in Brussels (still the 14th in UTC): a new budget.
    expect(await exposureAt('2026-01-14T23:05:00Z')).toMatchObject({ day: '2026-01-15', usedMs: 0, exhausted: false });
    charge.run(analystA.id, '2026-07-15', 30 * 60_000);
    // 00:30 summer time on 15 July (22:30 UTC the day before).
    expect(await exposureAt('2026-07-14T22:30:00Z')).toMatchObject({ day: '2026-07-15', usedMs: 30 * 60_000 });
    const team = (await queue(sessionFor(t, await addUser(t, 'supervisor'))).expect(200)).body.team;
    expect(team.find((m: { userId: number }) => m.userId === analystA.id)).toMatchObject({ usedMs: 30 * 60_000 });
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

  /** At `at`, analyst A claims the one item there is and skips it for later; returns its id. */
  async function claimAndSkipAt(at: string) {
    t.clock.set(Date.parse(at));
    const only = reportAndTriage(t, 'https://a.example.test/', [medium('a')]);
    const analyst = sessionFor(t, analystA);
    await next(analyst).expect(200);
    await request(t.app)
      .post(`/api/v1/items/${only}/skip`)
      .set(asSession(analyst))
      .send({ reason: 'later' })
      .expect(204);
    return only;
  }

  it('a skip lasts the hotline’s day: it ends at Brussels midnight, not UTC midnight, on a winter day', async () => {
    const only = await claimAndSkipAt('2026-01-14T22:30:00Z'); // 23:30 in Brussels
    const analyst = () => sessionFor(t, analystA);
    expect(rows(t.database, 'select day from item_skips')).toEqual([{ day: '2026-01-14' }]);
    t.clock.set(Date.parse('2026-01-14T22:59:00Z'));
    await next(analyst()).expect(204);
    // 00:05 in Brussels, still 14 January in UTC: a new day for the hotline.
    t.clock.set(Date.parse('2026-01-14T23:05:00Z'));
    expect((await next(analyst()).expect(200)).body.item.id).toBe(only);
  });

  it('a skip on the day clocks go forward lasts its 23 hours', async () => {
    // 00:30 in Brussels on 29 March 2026 (still 28 March in UTC); at 02:00 the clocks jump to 03:00.
    const only = await claimAndSkipAt('2026-03-28T23:30:00Z');
    const analyst = () => sessionFor(t, analystA);
    expect(rows(t.database, 'select day from item_skips')).toEqual([{ day: '2026-03-29' }]);
    // 23:59 summer time on 29 March: the same day in Brussels, although UTC's day changed meanwhile.
    t.clock.set(Date.parse('2026-03-29T21:59:00Z'));
    await next(analyst()).expect(204);
    t.clock.set(Date.parse('2026-03-29T22:00:00Z'));
    expect((await next(analyst()).expect(200)).body.item.id).toBe(only);
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
  it('pages by keyset, newest first, by queue', async () => {
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
    const bad = await request(t.app).get('/api/v1/items?state=nonsense&cursor=0').set(asSession(a)).expect(400);
    expect(Object.keys(bad.body.fields).sort()).toEqual(['cursor', 'state']);
  });

  describe('filters, on items that differ in every filtered field', () => {
    interface Fixture {
      id: number;
      day: string;
      country: string;
      categories: string[];
      siteTypes: string[];
      matched: boolean;
    }
    let fixtures: Fixture[];

    /** Items over five days, hosted in three countries, reported in several categories and site types, some matched. */
    beforeEach(() => {
      const bank = t.database.db.transaction((tx) => {
        const id = createBank(tx, { name: 'partner' }, 0);
        const entry = { line: 1, signalType: 'md5' as const, value: 'f'.repeat(32), label: 'national/real_abuse' };
        insertBankEntries(tx, id, [{ ...entry, sourceRef: null }], 0);
        return row(t.database, 'select id from bank_entries').id as number;
      });
      const match = {
        bank: 'partner',
        label: 'national/real_abuse',
        entryId: bank,
        signalType: 'md5' as const,
        value: 'f'.repeat(32),
        distance: 0,
        variant: null,
      };
      const plan = [
        { country: 'BE', category: 'csam', siteType: 'website', matched: false },
        { country: 'NL', category: 'grooming', siteType: 'forum', matched: true },
        { country: 'BE', category: 'other', siteType: 'image_host', matched: false },
        { country: 'FR', category: 'csam', siteType: 'forum', matched: true },
        { country: 'NL', category: 'sexting', siteType: 'website', matched: false },
        { country: 'BE', category: 'csam', siteType: 'image_host', matched: true },
        { country: 'NL', category: 'other', siteType: 'website', matched: false },
        { country: 'BE', category: 'grooming', siteType: 'social_network', matched: false },
        { country: 'FR', category: 'other', siteType: 'website', matched: false },
        { country: 'BE', category: 'csam', siteType: 'forum', matched: true },
      ];
      const start = Date.UTC(2026, 10, 1, 12);
      t.clock.set(start);
      fixtures = plan.map((p, n) => {
        // Two items a day from 1 to 5 November.
        t.clock.set(start + Math.floor(n / 2) * 86_400_000 + n * 60_000);
        const url = `https://site${n}.example.test/`;
        const id = reportAndTriage(t, url, [medium(`m${n}`, p.matched ? [match] : [])], {
          category: p.category,
          siteType: p.siteType,
          country: p.country,
        });
        return {
          id,
          day: new Date(t.clock.now()).toISOString().slice(0, 10),
          country: p.country,
          categories: [p.category],
          siteTypes: [p.siteType],
          matched: p.matched,
        };
      });
      // A second report of the first item, in another category and site type: it counts for both.
      const first = fixtures[0] as Fixture;
      reportUrl(t, 'https://site0.example.test/', { category: 'sexting', siteType: 'chat' });
      first.categories.push('sexting');
      first.siteTypes.push('chat');
    });

    /** Every id the list gives for `query`, page by page at `limit`, and the pages' sizes. */
    async function walk(query: string, limit: number): Promise<number[]> {
      const seen: number[] = [];
      let cursor: number | null = null;
      for (;;) {
        const path: string = `/api/v1/items?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
        const res = await request(t.app).get(path).set(asSession(supervisor)).expect(200);
        expect(res.body.items.length).toBeLessThanOrEqual(limit);
        seen.push(...res.body.items.map((i: { id: number }) => i.id));
        cursor = res.body.next;
        if (cursor === null) return seen;
      }
    }

    const expected = (keep: (f: Fixture) => boolean) =>
      fixtures
        .filter(keep)
        .map((f) => f.id)
        .sort((x, y) => y - x);

    const cases: [string, (f: Fixture) => boolean][] = [
      ['country=be', (f) => f.country === 'BE'],
      ['country=FR', (f) => f.country === 'FR'],
      ['category=grooming', (f) => f.categories.includes('grooming')],
      ['category=sexting', (f) => f.categories.includes('sexting')],
      ['siteType=forum', (f) => f.siteTypes.includes('forum')],
      ['siteType=chat', (f) => f.siteTypes.includes('chat')],
      ['matched=true', (f) => f.matched],
      ['matched=false', (f) => !f.matched],
      ['from=2026-11-02', (f) => f.day >= '2026-11-02'],
      ['to=2026-11-02', (f) => f.day <= '2026-11-02'],
      ['from=2026-11-02&to=2026-11-03', (f) => f.day >= '2026-11-02' && f.day <= '2026-11-03'],
      ['country=BE&matched=true', (f) => f.country === 'BE' && f.matched],
      [
        'country=BE&matched=false&category=csam',
        (f) => f.country === 'BE' && !f.matched && f.categories.includes('csam'),
      ],
      ['category=csam&siteType=forum', (f) => f.categories.includes('csam') && f.siteTypes.includes('forum')],
      ['matched=true&from=2026-11-03', (f) => f.matched && f.day >= '2026-11-03'],
      [
        'country=NL&siteType=website&to=2026-11-03',
        (f) => f.country === 'NL' && f.siteTypes.includes('website') && f.day <= '2026-11-03',
      ],
      ['country=FR&category=grooming', () => false],
    ];

    it.each(cases)('%s gives exactly the items it names, newest first', async (query, keep) => {
      const want = expected(keep);
      // Each case keeps some items and leaves others out (but the last, which keeps none).
      if (query !== 'country=FR&category=grooming') expect(want.length).toBeGreaterThan(0);
      expect(want.length).toBeLessThan(fixtures.length);
      expect(await walk(query, 100)).toEqual(want);
    });

    it.each(cases)('%s in keyset pages of 2: no item repeated, none skipped', async (query, keep) => {
      const ids = await walk(query, 2);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(expected(keep));
    });

    it('a common category or site type (more reports than rareReports) gives the same items, walked newest first', async () => {
      // The first item reported again and again as csam on a website: both values become common.
      const first = fixtures[0] as Fixture;
      const insert = t.database.sqlite.prepare(
        "insert into reports (receipt_hash, category, site_type, media_type, received_at) values (?, 'csam', 'website', 'image', 0)",
      );
      const link = t.database.sqlite.prepare(
        "insert into report_urls (report_id, item_id, position, input) values (?, ?, 0, 'x')",
      );
      t.database.sqlite.transaction(() => {
        for (let n = 0; n <= rareReports; n++) link.run(insert.run(`common-${n}`).lastInsertRowid, first.id);
      })();
      first.siteTypes.push('website');
      for (const [query, keep] of [
        ['category=csam', (f: Fixture) => f.categories.includes('csam')],
        ['siteType=website', (f: Fixture) => f.siteTypes.includes('website')],
        [
          'category=csam&siteType=forum',
          (f: Fixture) => f.categories.includes('csam') && f.siteTypes.includes('forum'),
        ],
        [
          'category=grooming&siteType=website',
          (f: Fixture) => f.categories.includes('grooming') && f.siteTypes.includes('website'),
        ],
      ] as const) {
        expect(await walk(query, 2)).toEqual(expected(keep));
      }
    });

    it('a wide date range (more items than rareReports) gives the same items, walked newest first', async () => {
      // Older items than every fixture, each its own day's first report: a range from their first
      // day holds more than rareReports items, so its pages walk the items instead of the date index.
      const insert = t.database.sqlite.prepare(
        `insert into items (dedup_key, canonical_url, url, host, first_reported_at, last_reported_at)
         values (?, ?, ?, 'old.example.test', ?, ?)`,
      );
      const start = Date.parse('2020-01-01T00:00:00Z');
      const old = t.database.sqlite.transaction(() =>
        Array.from({ length: rareReports + 1 }, (_, n) => {
          const url = `http://old.example.test/${n}`;
          return Number(insert.run(url, url, url, start + n * 3_600_000, start + n * 3_600_000).lastInsertRowid);
        }),
      )();
      const fixturesFrom = (day: string) => expected((f) => f.day >= day);
      const all = [...fixturesFrom('2020-01-01'), ...old].sort((x, y) => y - x);
      expect(await walk('from=2020-01-01', 100)).toEqual(all);
      // A narrow range inside the old ones is read from the date index: the same answer as a walk would give.
      const firstDay = old.slice(0, 24).sort((x, y) => y - x);
      expect(await walk('from=2020-01-01&to=2020-01-01', 10)).toEqual(firstDay);
      expect(await walk('from=2026-11-02', 2)).toEqual(fixturesFrom('2026-11-02'));
    });

    it('with a queue: only the filtered items of that queue', async () => {
      const assessed = fixtures[5]?.id as number;
      await request(t.app)
        .post(`/api/v1/items/${assessed}/assessments`)
        .set(asSession(b))
        .send({ legalStatus: 'not_illegal' })
        .expect(201);
      expect(await walk('state=to_confirm&country=BE', 2)).toEqual([assessed]);
      expect(await walk('state=to_confirm&country=NL', 2)).toEqual([]);
      expect(await walk('state=new&matched=true', 2)).toEqual(expected((f) => f.matched && f.id !== assessed));
    });
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
    // Each event names its actor's account, not only its id.
    expect(item.history[1]).toMatchObject({ actor: `user:${analystA.id}`, actorName: analystA.username });
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
