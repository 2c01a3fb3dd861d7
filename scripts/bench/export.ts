import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../src/db/client.ts';
import { runMigrations } from '../../src/db/migrate.ts';
import { writeExport } from '../../src/forwarding/export/write-export.ts';
import { loadSigningKey } from '../../src/key-files.ts';
import { fillPoliceForwards } from '../../tests/forwarding/bulk-forwards.ts';
import { testConfig } from '../../tests/support/config.ts';

/**
 * A police export of 100,000 forwarded items (one medium each), against the same export of 10,000
 * as the baseline. Each runs in a child process of its own (`node --expose-gc`), so neither sees the
 * other's heap, and the RSS growth while writing is measured from a collected heap.
 *
 * The bound, which fails the run (exit 1): the 100,000-item growth must stay below twice the
 * 10,000-item growth plus 16 MB. Memory is flat when rows are read a page at a time and streamed
 * into the ZIP, so both growths are the same pages, buffers and compressor state: equal but for GC
 * timing, which the factor 2 absorbs; the 16 MB absorbs allocator noise when the baseline growth is
 * only a few MB. An export that held its rows (about 1 KB each once in report.json, items.csv and
 * the VICS file) would grow about ten times the baseline, some 100 MB more: well past the bound.
 */
const ITEMS = 100_000;
const BASELINE_ITEMS = 10_000;
const GROWTH_FACTOR = 2;
const GROWTH_SLACK_MB = 16;
const MB = 1024 * 1024;

interface ExportLine {
  bench: 'export';
  items: number;
  forwards: number;
  zipMb: number;
  rssBeforeMb: number;
  rssGrowthMb: number;
}

export default async function benchExport(): Promise<void> {
  const baseline = runChild(BASELINE_ITEMS);
  const large = runChild(ITEMS);
  const boundMb = GROWTH_FACTOR * baseline.rssGrowthMb + GROWTH_SLACK_MB;
  const ok = large.rssGrowthMb < boundMb;
  process.stdout.write(
    `${JSON.stringify({
      summary: 'export',
      rssGrowthMb: { [BASELINE_ITEMS]: baseline.rssGrowthMb, [ITEMS]: large.rssGrowthMb },
      rssGrowthRatio: Number((large.rssGrowthMb / Math.max(baseline.rssGrowthMb, 1)).toFixed(2)),
      itemsRatio: ITEMS / BASELINE_ITEMS,
      boundMb: Number(boundMb.toFixed(1)),
      ok,
    })}\n`,
  );
  if (!ok) {
    process.stderr.write(
      `export memory not flat: ${large.rssGrowthMb} MB growth for ${ITEMS} items, bound ${boundMb.toFixed(1)} MB (${GROWTH_FACTOR} x ${baseline.rssGrowthMb} MB + ${GROWTH_SLACK_MB} MB)\n`,
    );
    process.exitCode = 1;
  }
}

/** One export in a fresh `node --expose-gc`; its JSON line is printed and returned. */
function runChild(count: number): ExportLine {
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), String(count)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1024 * 1024 },
  );
  const line = child.stdout.trim().split('\n').at(-1) ?? '';
  if (child.status !== 0 || !line.startsWith('{')) throw new Error(`export bench of ${count} items failed`);
  process.stdout.write(`${line}\n`);
  return JSON.parse(line) as ExportLine;
}

async function exportOf(count: number): Promise<ExportLine> {
  if (!global.gc) throw new Error('run with node --expose-gc');
  const dir = mkdtempSync(join(tmpdir(), 'hotline-bench-export-'));
  const config = testConfig({ HOTLINE_DB: join(dir, 'bench.db') });
  const handle = openDatabase(config.dbPath);
  try {
    runMigrations(handle.db);
    const now = Date.UTC(2026, 11, 1, 12);
    fillPoliceForwards(handle.sqlite, count, now);
    const out = join(dir, 'police.zip');
    const deps = { db: handle.db, config, now: () => now + 60_000, signingKey: loadSigningKey(':memory:') };
    global.gc();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 10);
    const result = await writeExport(deps, { to: 'police', since: now - 86_400_000 }, createWriteStream(out), 'system');
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    return {
      bench: 'export',
      items: count,
      forwards: result.forwards,
      zipMb: Number((statSync(out).size / MB).toFixed(1)),
      rssBeforeMb: Number((before / MB).toFixed(1)),
      rssGrowthMb: Number(((peak - before) / MB).toFixed(1)),
    };
  } finally {
    handle.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// The child: `node --expose-gc --import tsx scripts/bench/export.ts COUNT`.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const count = Number(process.argv[2]);
  if (!Number.isInteger(count) || count < 1) throw new Error('usage: export.ts COUNT');
  process.stdout.write(`${JSON.stringify(await exportOf(count))}\n`);
}
