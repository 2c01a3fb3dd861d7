import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../../src/db/client.ts';
import { runMigrations } from '../../src/db/migrate.ts';
import { claimNextItem } from '../../src/review/claims.ts';
import { itemClusterView } from '../../src/review/item-cluster.ts';
import { type ItemListQuery, listItems } from '../../src/review/item-list.ts';
import { listKnownItems } from '../../src/review/known-queue.ts';
import { countQueues } from '../../src/review/queue.ts';
import { testConfig } from '../../tests/support/config.ts';
import { seededRandom } from '../../tests/support/seeded-random.ts';

/**
 * The analyst queue on 100,000 items: the list view (a filtered keyset page), the home counts and
 * "Next" (a claim: an immediate write transaction with its audit event), each against the cheapest
 * read of the same table in the same run (one item by primary key) as the baseline. Also the
 * known queue's page and an item's cluster (families of ten items whose media are duplicates).
 * Every item has a report (categories and site types as skewed as real ones, a few rare), a hosting
 * country (one in a thousand in a rare one), ids that grow with the report time over a year, and
 * one in twenty a bank match: the list's worst filters are the rare values, matched=true and a
 * date range far from the newest items.
 */
const ITEMS = 100_000;
const RUNS = 300;
const hourMs = 3_600_000;
/** Items per family of duplicates: each later item's medium points at the family's first. */
const FAMILY = 10;

function p95(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length * 0.95)] ?? Number.NaN;
}

/** Picks from weighted values with `random`. */
function weighted<T>(random: () => number, table: readonly [T, number][]): T {
  let r = random() * table.reduce((sum, [, w]) => sum + w, 0);
  for (const [value, w] of table) {
    r -= w;
    if (r < 0) return value;
  }
  return (table.at(-1) as [T, number])[0];
}

const countries: [string, number][] = [
  ['NL', 50],
  ['BE', 25],
  ['US', 15],
  ['FR', 9.9],
  ['LU', 0.1],
];
const categories: [string, number][] = [
  ['csam', 70],
  ['other', 20],
  ['grooming', 6],
  ['sexting', 3.9],
  ['unknown', 0.1],
];
const siteTypes: [string, number][] = [
  ['image_host', 40],
  ['website', 35],
  ['forum', 15],
  ['social_network', 9.9],
  ['peer_to_peer', 0.1],
];
const yearMs = 365 * 24 * hourMs;

function time(run: (i: number) => unknown): number[] {
  for (let i = 0; i < 20; i++) run(i); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    run(i);
    samples.push(performance.now() - start);
  }
  return samples;
}

export default async function benchQueue(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-bench-queue-'));
  const config = testConfig({ HOTLINE_DB: join(dir, 'bench.db') });
  const handle = openDatabase(config.dbPath);
  try {
    runMigrations(handle.db);
    const now = Date.UTC(2026, 10, 29, 12);
    const random = seededRandom(20261204);
    const states = ['ready', 'ready', 'ready', 'ready', 'ready', 'ready', 'known', 'unreachable'];
    const insertItem = handle.sqlite.prepare(
      `insert into items (dedup_key, canonical_url, url, host, state, first_reported_at, last_reported_at, report_count, priority, hosting_country)
       values (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
    );
    const insertMedium = handle.sqlite.prepare(
      `insert into item_media (item_id, position, url, media_type, size, sha256, sha1, md5, duplicate_of_media_id, duplicate_signal, duplicate_distance, fetched_at)
       values (?, 0, ?, 'image/jpeg', 1000, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertReport = handle.sqlite.prepare(
      `insert into reports (receipt_hash, category, site_type, media_type, received_at) values (?, ?, ?, 'image', ?)`,
    );
    const linkReport = handle.sqlite.prepare(
      'insert into report_urls (report_id, item_id, position, input) values (?, ?, 0, ?)',
    );
    const insertMatch = handle.sqlite.prepare(
      `insert into media_matches (media_id, bank_entry_id, signal_type, distance, variant) values (?, 1, 'md5', 0, null)`,
    );
    const insertUser = handle.sqlite.prepare(
      `insert into users (username, role, password_hash, totp_secret_sealed, created_at, updated_at) values (?, 'analyst', 'x', 'x', ?, ?)`,
    );
    let matchedItems = 0;
    handle.sqlite.transaction(() => {
      handle.sqlite.prepare(`insert into banks (name, source, created_at) values ('partner', 'partner', 0)`).run();
      handle.sqlite
        .prepare(
          `insert into bank_entries (bank_id, signal_type, value, label, taxonomy_version, added_at) values (1, 'md5', ?, 'national/real_abuse', 1, 0)`,
        )
        .run('0'.repeat(32));
      for (let i = 0; i < ITEMS; i++) {
        const url = `https://site${i % 5000}.example.test/page/${i}`;
        // Ids grow with time: a year of reports, the newest last.
        const reportedAt = now - yearMs + Math.floor(((i + random()) / ITEMS) * yearMs);
        const state = states[Math.floor(random() * states.length)] as string;
        insertItem.run(
          url,
          url,
          url,
          `site${i % 5000}.example.test`,
          state,
          reportedAt,
          reportedAt,
          Math.floor(random() * 180),
          weighted(random, countries),
        );
        const id = i + 1;
        const first = id - ((id - 1) % FAMILY);
        const hash = (n: number, length: number) => n.toString(16).padStart(length, '0');
        const duplicate = id === first ? [null, null, null] : [first, 'pdq', Math.floor(random() * 20)];
        insertMedium.run(id, `${url}.jpg`, hash(id, 64), hash(id, 40), hash(id, 32), ...duplicate, now);
        const report = insertReport.run(
          hash(id, 64),
          weighted(random, categories),
          weighted(random, siteTypes),
          reportedAt,
        ).lastInsertRowid;
        linkReport.run(report, id, url);
        if (random() < 0.05) {
          insertMatch.run(id);
          matchedItems++;
        }
      }
      for (let u = 0; u < RUNS + 20; u++) insertUser.run(`analyst${u}`, now, now);
    })();
    const deps = { db: handle.db, config, now: () => now };
    const byId = handle.sqlite.prepare('select * from items where id = ?');

    const baseline = p95(time((i) => byId.get(1 + ((i * 7919) % ITEMS))));
    const list = p95(
      time((i) => listItems(handle.db, { state: 'new', limit: 50, cursor: ITEMS - ((i * 331) % (ITEMS - 100)) }, now)),
    );
    // The worst filters: first pages (and a deep page) of rare values, matched items, an old date range.
    const day = (ms: number) => Date.parse(new Date(ms).toISOString().slice(0, 10));
    const filters: { subject: string; query: Omit<ItemListQuery, 'limit'> }[] = [
      { subject: 'country=LU (0.1 %)', query: { country: 'LU' } },
      { subject: 'category=unknown (0.1 %)', query: { category: 'unknown' } },
      { subject: 'siteType=peer_to_peer (0.1 %)', query: { siteType: 'peer_to_peer' } },
      { subject: 'matched=true (5 %)', query: { matched: 'true' } },
      {
        subject: 'from..to: a week ten months ago',
        query: { from: day(now - 300 * 24 * hourMs), to: day(now - 294 * 24 * hourMs) },
      },
      {
        subject: 'from..to: ten months ago to a month ago (wide)',
        query: { from: day(now - 300 * 24 * hourMs), to: day(now - 30 * 24 * hourMs) },
      },
      { subject: 'state=new&country=LU&matched=false', query: { state: 'new', country: 'LU', matched: 'false' } },
      {
        subject: 'state=new&category=grooming, deep cursor',
        query: { state: 'new', category: 'grooming', cursor: 5_000 },
      },
    ];
    const filtered = filters.map(({ subject, query }) => {
      const found = listItems(handle.db, { ...query, limit: 1000 }, now).items.length;
      return {
        subject: `list: ${subject}`,
        found,
        p95Ms: p95(time(() => listItems(handle.db, { ...query, limit: 50 }, now))),
      };
    });
    const counts = p95(time(() => countQueues(handle.db)));
    const next = p95(time((i) => claimNextItem(deps, 1 + i)));
    const known = p95(time((i) => listKnownItems(handle.db, { limit: 50, cursor: (i * 331) % (ITEMS - 1000) })));
    const cluster = p95(time((i) => itemClusterView(handle.db, 1 + ((i * 7919) % ITEMS), now)));

    const lines = [
      { bench: 'queue', subject: 'baseline: one item by id', items: ITEMS, p95Ms: baseline },
      { bench: 'queue', subject: 'list: GET /api/v1/items?state=new page', items: ITEMS, p95Ms: list },
      ...filtered.map(({ subject, found, p95Ms }) => ({ bench: 'queue', subject, items: ITEMS, found, p95Ms })),
      { bench: 'queue', subject: 'counts: GET /api/v1/queue', items: ITEMS, p95Ms: counts },
      { bench: 'queue', subject: 'next: POST /api/v1/queue/next claim', items: ITEMS, p95Ms: next },
      { bench: 'queue', subject: 'known: GET /api/v1/queue/known page', items: ITEMS, p95Ms: known },
      {
        bench: 'queue',
        subject: `cluster: GET /api/v1/items/:id/cluster (${FAMILY} items)`,
        items: ITEMS,
        p95Ms: cluster,
      },
    ];
    for (const line of lines)
      process.stdout.write(`${JSON.stringify({ ...line, p95Ms: Number(line.p95Ms.toFixed(3)) })}\n`);
    const worstFilter = Math.max(...filtered.map((f) => f.p95Ms));
    const ratio = (value: number) => Number((value / baseline).toFixed(1));
    process.stdout.write(
      `${JSON.stringify({ bench: 'queue', summary: true, items: ITEMS, matchedItems, ratios: { list: ratio(list), worstFilter: ratio(worstFilter), counts: ratio(counts), next: ratio(next), known: ratio(known), cluster: ratio(cluster) }, under50ms: { list: list < 50, worstFilter: worstFilter < 50, counts: counts < 50, next: next < 50, known: known < 50, cluster: cluster < 50 } })}\n`,
    );
  } finally {
    handle.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
