import { createHash } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/client.ts';
import { runMigrations } from '../../src/db/migrate.ts';
import { writeExport } from '../../src/forwarding/export/write-export.ts';
import { loadSigningKey } from '../../src/key-files.ts';
import { testConfig } from '../../tests/support/config.ts';

/**
 * A police export of 100,000 forwarded items (one medium each), against the same export of 10,000
 * in the same run as the baseline: the RSS growth while writing should not grow with the items
 * (rows are read a page at a time and streamed into the ZIP).
 */
const ITEMS = 100_000;
const BASELINE_ITEMS = 10_000;
const MB = 1024 * 1024;
const hex = (algorithm: string, seed: string) => createHash(algorithm).update(seed).digest('hex');

export default async function benchExport(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-bench-export-'));
  try {
    const baseline = await exportOf(dir, BASELINE_ITEMS);
    const large = await exportOf(dir, ITEMS);
    process.stdout.write(
      `${JSON.stringify({
        summary: 'export',
        rssGrowthRatio: Number((large.rssGrowthMb / Math.max(baseline.rssGrowthMb, 1)).toFixed(2)),
        itemsRatio: ITEMS / BASELINE_ITEMS,
      })}\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function exportOf(dir: string, count: number) {
  const config = testConfig({ HOTLINE_DB: join(dir, `bench-${count}.db`) });
  const handle = openDatabase(config.dbPath);
  try {
    runMigrations(handle.db);
    const now = Date.UTC(2026, 11, 1, 12);
    fill(handle.sqlite, count, now);
    const out = join(dir, `police-${count}.zip`);
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 10);
    const deps = { db: handle.db, config, now: () => now + 60_000, signingKey: loadSigningKey(':memory:') };
    const result = await writeExport(deps, { to: 'police', since: now - 86_400_000 }, createWriteStream(out), 'system');
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    const line = {
      bench: 'export',
      items: count,
      forwards: result.forwards,
      zipMb: Number((statSync(out).size / MB).toFixed(1)),
      rssBeforeMb: Number((before / MB).toFixed(1)),
      rssGrowthMb: Number(((peak - before) / MB).toFixed(1)),
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
    return line;
  } finally {
    handle.close();
  }
}

/** Items with one medium each, a confirmed assessment and a pending forward to the police. */
function fill(sqlite: ReturnType<typeof openDatabase>['sqlite'], count: number, now: number): void {
  const police = (sqlite.prepare("select id from destinations where key = 'police'").get() as { id: number }).id;
  const item = sqlite.prepare(
    `insert into items (dedup_key, canonical_url, url, host, state, first_reported_at, last_reported_at, report_count, hosting_country, hosting_asn)
     values (?, ?, ?, ?, 'ready', ?, ?, 1, 'BE', 64500)`,
  );
  const medium = sqlite.prepare(
    `insert into item_media (item_id, position, url, media_type, size, sha256, sha1, md5, fetched_at, hosting_country)
     values (?, 0, ?, 'image/jpeg', 1000, ?, ?, ?, ?, 'BE')`,
  );
  const assessment = sqlite.prepare(
    `insert into assessments (item_id, source, outcome, content, status, created_at, decided_at)
     values (?, 'analyst', 'national', 'real_abuse', 'confirmed', ?, ?)`,
  );
  const forward = sqlite.prepare(
    `insert into forwards (item_id, assessment_id, destination_id, state, reasons, created_at, updated_at)
     values (?, ?, ?, 'pending', '[{"code":"hosted_home","what":"page","country":"BE"}]', ?, ?)`,
  );
  sqlite.transaction(() => {
    for (let i = 0; i < count; i++) {
      const url = `https://site${i % 5000}.example.test/page/${i}`;
      const itemId = Number(item.run(url, url, url, `site${i % 5000}.example.test`, now, now).lastInsertRowid);
      medium.run(itemId, `${url}.jpg`, hex('sha256', url), hex('sha1', url), hex('md5', url), now);
      const assessmentId = Number(assessment.run(itemId, now, now).lastInsertRowid);
      forward.run(itemId, assessmentId, police, now, now);
    }
  })();
}
