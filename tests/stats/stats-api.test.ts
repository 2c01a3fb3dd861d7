import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { purgeExpiredReports } from '../../src/retention/purge.ts';
import { reportUrl } from '../review/fixtures.ts';
import { createClock, createTestApp, type TestApp } from '../support/app.ts';
import { addUser, asSession, sessionFor } from '../support/auth.ts';
import { row } from '../support/db.ts';
import { seededRandom } from '../support/seeded-random.ts';

const dayMs = 86_400_000;
const categories = ['csam', 'grooming', 'other'] as const;
const outcomes = ['baseline', 'national', 'not_illegal'] as const;
const countries = ['BE', 'NL', null] as const;

interface Made {
  category: string;
  receivedAt: number;
  /** Set when the item was assessed and the assessment confirmed. */
  confirmed?: { outcome: string; country: string | null; waitedMs: number };
}

/** Confirms an assessment of the item of `url`, decided now, as review would leave it. */
function confirm(t: TestApp, url: string, outcome: string, country: string | null) {
  const now = t.clock.now();
  const itemId = row(t.database, 'select id from items where url = ?', url).id as number;
  t.database.sqlite
    .prepare("update items set hosting_country = ?, assessed_at = ?, review_status = 'closed' where id = ?")
    .run(country, now, itemId);
  t.database.sqlite
    .prepare(
      `insert into assessments (item_id, source, outcome, content, site_type, status, created_at, decided_at)
       values (?, 'analyst', ?, 'real_abuse', 'forum', 'confirmed', ?, ?)`,
    )
    .run(itemId, outcome, now, now);
  t.database.sqlite.prepare('insert into item_reviews (item_id, decided_at) values (?, ?)').run(itemId, now);
}

/** Reports spread over 2026 through the real intake; some assessed and confirmed days later. */
function makeYear(t: TestApp): Made[] {
  const random = seededRandom(2026);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  const made: Made[] = [];
  for (let n = 0; n < 30; n++) {
    t.clock.set(Date.UTC(2026, n % 12, 1 + Math.floor(random() * 27), 10));
    const category = pick(categories);
    const url = `https://site${n}.example/page`;
    reportUrl(t, url, { category });
    const entry: Made = { category, receivedAt: t.clock.now() };
    if (n % 3 !== 0) {
      const waitedMs = (1 + (n % 5)) * dayMs;
      const outcome = pick(outcomes);
      const country = pick(countries);
      t.clock.advance(waitedMs);
      confirm(t, url, outcome, country);
      entry.confirmed = { outcome, country, waitedMs };
    }
    made.push(entry);
  }
  return made;
}

/** The median the test works out itself, by sorting. */
function medianOf(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

async function getStats(t: TestApp, query: string, role: 'supervisor' | 'admin' | 'analyst' = 'supervisor') {
  const user = await addUser(t, role);
  return request(t.app)
    .get(`/api/v1/stats?${query}`)
    .set(asSession(sessionFor(t, user)));
}

describe('GET /api/v1/stats', () => {
  it('counts what the test made, by category, month, outcome and hosting country, and a purge changes nothing', async () => {
    const t = createTestApp({ clock: createClock(Date.UTC(2026, 0, 1)) });
    const made = makeYear(t);
    // Confirmations decided in 2027 (December reports waited into January) belong to 2027.
    const confirmedIn2026 = made.filter(
      (m) => m.confirmed && m.receivedAt + m.confirmed.waitedMs < Date.UTC(2027, 0, 1),
    );
    t.clock.set(Date.UTC(2027, 1, 1));

    const res = await getStats(t, 'from=2026-01-01&to=2026-12-31');
    expect(res.status).toBe(200);
    const stats = res.body;
    expect(stats.period).toEqual({ from: '2026-01-01', to: '2026-12-31' });
    expect(stats.reports.total).toBe(made.length);
    for (const category of categories) {
      expect(stats.reports.byCategory[category]).toBe(made.filter((m) => m.category === category).length);
    }
    expect(stats.reports.byMonth['2026-04']).toBe(
      made.filter((m) => new Date(m.receivedAt).getUTCMonth() === 3).length,
    );
    expect(stats.items.total).toBe(made.length);
    expect(stats.assessments.total).toBe(confirmedIn2026.length);
    for (const outcome of outcomes) {
      expect(stats.assessments.byLegalStatus[outcome]).toBe(
        confirmedIn2026.filter((m) => m.confirmed?.outcome === outcome).length,
      );
    }
    const illegal = confirmedIn2026.filter((m) => m.confirmed?.outcome !== 'not_illegal');
    expect(stats.hostingCountries.BE ?? 0).toBe(illegal.filter((m) => m.confirmed?.country === 'BE').length);
    expect(stats.hostingCountries.unknown ?? 0).toBe(illegal.filter((m) => m.confirmed?.country === null).length);
    expect(stats.siteTypes.forum).toBe(illegal.length);
    expect(stats.timeToAssessment).toEqual({
      count: confirmedIn2026.length,
      medianMs: medianOf(confirmedIn2026.map((m) => m.confirmed?.waitedMs ?? 0)),
    });
    expect(stats.forwards.total).toBe(0);
    expect(stats.timeToRemoval).toEqual({
      items: 0,
      removed: 0,
      medianMs: null,
      within3Days: null,
      within7Days: null,
    });

    // Every confirmed report is closed and past retention: the purge removes what reporters wrote.
    const purged = purgeExpiredReports(
      t.database.db,
      { ...t.config, retentionDays: 1 },
      { now: t.clock.now(), apply: true },
    );
    expect(purged.counts.reports).toBe(made.filter((m) => m.confirmed).length);
    const after = await getStats(t, 'from=2026-01-01&to=2026-12-31');
    expect(after.body).toEqual(stats);
  });

  it('gives the same figures as CSV, one line per number', async () => {
    const t = createTestApp({ clock: createClock(Date.UTC(2026, 0, 1)) });
    const made = makeYear(t);
    const res = await getStats(t, 'from=2026-01-01&to=2026-12-31&format=csv', 'admin');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toContain('hotline-stats-2026-01-01-2026-12-31.csv');
    const lines = res.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('section,key,value');
    expect(lines).toContain(`reports,total,${made.length}`);
    expect(lines).toContain(`reports.byCategory,csam,${made.filter((m) => m.category === 'csam').length}`);
    expect(lines).toContain('forwards,total,0');
    expect(lines).toContain('forwards.byDestinationType,police,0');
    // Not measured (nothing removed): an empty value, not a zero.
    expect(lines).toContain('timeToRemoval,medianMs,');
  });

  it('counts forwards by receiver type and country, and the time to removal per item, as the test works them out', async () => {
    const t = createTestApp({ clock: createClock(Date.UTC(2026, 0, 1)) });
    const random = seededRandom(11);
    const destinationIds = new Map(
      (t.database.sqlite.prepare('select id, key from destinations').all() as { id: number; key: string }[]).map(
        (d) => [d.key, d.id],
      ),
    );
    const receivers = [
      { key: 'police', kind: 'police', country: 'none' },
      { key: 'partner:NL', kind: 'partner_hotline', country: 'NL' },
      { key: 'partner:DE', kind: 'partner_hotline', country: 'DE' },
    ];
    const insertForward = t.database.sqlite.prepare(
      `insert into forwards (item_id, assessment_id, destination_id, state, reasons, created_at, updated_at, removed_at)
       values (?, ?, ?, ?, '[]', ?, ?, ?)`,
    );
    interface MadeForward {
      itemId: number;
      kind: string;
      country: string;
      createdAt: number;
      reportedAt: number;
      removedAt: number | null;
    }
    const made: MadeForward[] = [];
    for (let n = 0; n < 24; n++) {
      // Two forwarded in the last days of December 2025, which 2026 does not count.
      t.clock.set(n < 2 ? Date.UTC(2025, 11, 20) : Date.UTC(2026, n % 12, 1 + (n % 20), 9));
      const url = `https://forwarded${n}.example/`;
      reportUrl(t, url);
      const reportedAt = t.clock.now();
      t.clock.advance(Math.floor(random() * 3 * dayMs));
      confirm(t, url, 'national', 'NL');
      const { itemId, assessmentId } = row(
        t.database,
        'select item_id as itemId, id as assessmentId from assessments order by id desc limit 1',
      );
      const createdAt = t.clock.now();
      // One to all three receivers; removal in hours to ten days (3 days exactly once), or never.
      const removal = n % 4 === 0 ? null : n === 5 ? 3 * dayMs : Math.floor(random() * 10 * dayMs);
      for (const receiver of receivers.slice(0, 1 + (n % 3))) {
        // Of an item sent twice, the partner's forward was marked a day after the police's: the item counts once, at the first.
        const removedAt = removal === null ? null : reportedAt + removal + (receiver.key === 'police' ? 0 : dayMs);
        const state = removedAt === null ? 'sent' : 'removed';
        insertForward.run(
          itemId,
          assessmentId,
          destinationIds.get(receiver.key),
          state,
          createdAt,
          createdAt,
          removedAt,
        );
        made.push({ itemId, kind: receiver.kind, country: receiver.country, createdAt, reportedAt, removedAt });
      }
    }
    t.clock.set(Date.UTC(2027, 1, 1));
    const stats = (await getStats(t, 'from=2026-01-01&to=2026-12-31')).body;

    const in2026 = made.filter((f) => new Date(f.createdAt).getUTCFullYear() === 2026);
    expect(in2026.length).toBeLessThan(made.length);
    expect(stats.forwards.total).toBe(in2026.length);
    for (const kind of ['police', 'partner_hotline', 'hosting_provider', 'interpol']) {
      expect(stats.forwards.byDestinationType[kind]).toBe(in2026.filter((f) => f.kind === kind).length);
    }
    for (const country of ['none', 'NL', 'DE']) {
      expect(stats.forwards.byCountry[country]).toBe(in2026.filter((f) => f.country === country).length);
    }
    const firstRemoval = new Map<number, number | null>();
    for (const f of in2026) {
      const known = firstRemoval.get(f.itemId);
      if (known === undefined || known === null) firstRemoval.set(f.itemId, f.removedAt);
      else if (f.removedAt !== null) firstRemoval.set(f.itemId, Math.min(known, f.removedAt));
    }
    const reported = new Map(in2026.map((f) => [f.itemId, f.reportedAt]));
    const waits = [...firstRemoval]
      .filter((entry): entry is [number, number] => entry[1] !== null)
      .map(([itemId, at]) => at - (reported.get(itemId) ?? 0));
    expect(waits.length).toBeGreaterThan(3);
    expect(waits).toContain(3 * dayMs);
    expect(stats.timeToRemoval).toEqual({
      items: firstRemoval.size,
      removed: waits.length,
      medianMs: medianOf(waits),
      within3Days: waits.filter((w) => w <= 3 * dayMs).length / waits.length,
      within7Days: waits.filter((w) => w <= 7 * dayMs).length / waits.length,
    });

    const csv = (await getStats(t, 'from=2026-01-01&to=2026-12-31&format=csv')).text.split('\r\n');
    expect(csv).toContain(`forwards,total,${in2026.length}`);
    expect(csv).toContain(`forwards.byCountry,NL,${stats.forwards.byCountry.NL}`);
    expect(csv).toContain(`timeToRemoval,medianMs,${medianOf(waits)}`);
    expect(csv).toContain(`timeToRemoval,within3Days,${stats.timeToRemoval.within3Days}`);
  });

  it('counts only the days asked for', async () => {
    const t = createTestApp({ clock: createClock(Date.UTC(2026, 0, 1)) });
    const made = makeYear(t);
    const inMarch = made.filter((m) => new Date(m.receivedAt).getUTCMonth() === 2).length;
    const res = await getStats(t, 'from=2026-03-01&to=2026-03-31');
    expect(res.body.reports.total).toBe(inMarch);
    expect(Object.keys(res.body.reports.byMonth)).toEqual(['2026-03']);
  });

  it('refuses a bad period with a localised message naming the field', async () => {
    const t = createTestApp();
    const admin = await addUser(t, 'admin');
    const reversed = (lang: string) =>
      request(t.app)
        .get('/api/v1/stats?from=2026-12-31&to=2026-01-01')
        .set({ ...asSession(sessionFor(t, admin)), 'Accept-Language': lang });
    const english = await reversed('en');
    expect(english.status).toBe(400);
    expect(english.body.fields).toEqual({ to: 'The last day comes before the first.' });
    expect((await reversed('nl')).body.fields).toEqual({ to: 'De laatste dag valt vóór de eerste.' });
    const missing = await getStats(t, 'to=2026-01-01');
    expect(missing.status).toBe(400);
    expect(Object.keys(missing.body.fields)).toEqual(['from']);
  });

  it('is for supervisors and admins only', async () => {
    const t = createTestApp();
    expect((await getStats(t, 'from=2026-01-01&to=2026-01-31', 'analyst')).status).toBe(403);
    expect((await request(t.app).get('/api/v1/stats?from=2026-01-01&to=2026-01-31')).status).toBe(401);
  });
});
