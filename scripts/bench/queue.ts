import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../../src/db/client.ts';
import { runMigrations } from '../../src/db/migrate.ts';
import { claimNextItem } from '../../src/review/claims.ts';
import { itemClusterView } from '../../src/review/item-cluster.ts';
import { listItems } from '../../src/review/item-list.ts';
import { listKnownItems } from '../../src/review/known-queue.ts';
import { countQueues } from '../../src/review/queue.ts';
import { testConfig } from '../../tests/support/config.ts';
import { seededRandom } from '../../tests/support/seeded-random.ts';

/**
 * The analyst queue on 100,000 items: the list view (a filtered keyset page), the home counts and
 * "Next" (a claim: an immediate write transaction with its audit event), each against the cheapest
 * read of the same table in the same run (one item by primary key) as the baseline. Also the
 * known queue's page and an item's cluster (families of ten items whose media are duplicates).
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
    const insertUser = handle.sqlite.prepare(
      `insert into users (username, role, password_hash, totp_secret_sealed, created_at, updated_at) values (?, 'analyst', 'x', 'x', ?, ?)`,
    );
    handle.sqlite.transaction(() => {
      for (let i = 0; i < ITEMS; i++) {
        const url = `https://site${i % 5000}.example.test/page/${i}`;
        const reportedAt = now - Math.floor(random() * 72 * hourMs);
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
          random() < 0.3 ? 'BE' : 'NL',
        );
        const id = i + 1;
        const first = id - ((id - 1) % FAMILY);
        const hash = (n: number, length: number) => n.toString(16).padStart(length, '0');
        const duplicate = id === first ? [null, null, null] : [first, 'pdq', Math.floor(random() * 20)];
        insertMedium.run(id, `${url}.jpg`, hash(id, 64), hash(id, 40), hash(id, 32), ...duplicate, now);
      }
      for (let u = 0; u < RUNS + 20; u++) insertUser.run(`analyst${u}`, now, now);
    })();
    const deps = { db: handle.db, config, now: () => now };
    const byId = handle.sqlite.prepare('select * from items where id = ?');

    const baseline = p95(time((i) => byId.get(1 + ((i * 7919) % ITEMS))));
    const list = p95(
      time((i) => listItems(handle.db, { state: 'new', limit: 50, cursor: ITEMS - ((i * 331) % (ITEMS - 100)) }, now)),
    );
    const counts = p95(time(() => countQueues(handle.db)));
    const next = p95(time((i) => claimNextItem(deps, 1 + i)));
    const known = p95(time((i) => listKnownItems(handle.db, { limit: 50, cursor: (i * 331) % (ITEMS - 1000) })));
    const cluster = p95(time((i) => itemClusterView(handle.db, 1 + ((i * 7919) % ITEMS), now)));

    const lines = [
      { bench: 'queue', subject: 'baseline: one item by id', items: ITEMS, p95Ms: baseline },
      { bench: 'queue', subject: 'list: GET /api/v1/items?state=new page', items: ITEMS, p95Ms: list },
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
    const ratio = (value: number) => Number((value / baseline).toFixed(1));
    process.stdout.write(
      `${JSON.stringify({ bench: 'queue', summary: true, items: ITEMS, ratios: { list: ratio(list), counts: ratio(counts), next: ratio(next), known: ratio(known), cluster: ratio(cluster) }, under50ms: { list: list < 50, counts: counts < 50, next: next < 50, known: known < 50, cluster: cluster < 50 } })}\n`,
    );
  } finally {
    handle.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
