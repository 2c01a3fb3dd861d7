import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBank, insertBankEntries } from '../../src/banks/commands.ts';
import { buildConfig, type Config, parseEnv } from '../../src/config.ts';
import { openDatabase } from '../../src/db/client.ts';
import { runMigrations } from '../../src/db/migrate.ts';
import { jobs } from '../../src/db/schema/jobs.ts';
import { createFetcher, fetchOptionsFromConfig } from '../../src/fetcher/index.ts';
import { deriveIntakeKeys, submitReport } from '../../src/intake/submit-report.ts';
import { createLogger } from '../../src/logger.ts';
import { defaultPoolSize } from '../../src/signals/signals-pool.ts';
import { createTriageWorker } from '../../src/triage/triage-worker.ts';
import { syntheticImage } from '../../tests/support/synthetic-images.ts';

/**
 * Items per second through the whole triage pipeline (claim, fetch, hash, match, hosting,
 * duplicates, priority, write) against the same fetches without hashing or storing, in the same
 * run, with the same concurrency: both warmed up, then alternated over several rounds; the summary
 * compares medians. 500 synthetic images from a loopback server this bench starts. The pipeline
 * hashes in the signals pool (one worker thread per core; its size is printed).
 */

const ITEMS = 500;
const BANK_ENTRIES = 20_000;
const URLS_PER_REPORT = 10;
/** Measured rounds of each, alternating, after one warm-up round of each. */
const ROUNDS = 3;

async function runWithConcurrency(
  urls: string[],
  concurrency: number,
  work: (url: string) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < urls.length) await work(urls[next++] as string);
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
}

function randomHex256(): string {
  return randomBytes(32).toString('hex');
}

export default async function bench(): Promise<void> {
  const images: Buffer[] = [];
  for (let i = 0; i < ITEMS; i++) {
    images.push(await syntheticImage(50_000 + i, { format: i % 2 ? 'jpeg' : 'png', width: 320, height: 240 }));
  }
  const server = createServer((req, res) => {
    const body = images[Number(/^\/img\/(\d+)$/.exec(req.url ?? '')?.[1] ?? -1)];
    if (body) res.writeHead(200).end(body);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const pair = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = mkdtempSync(join(tmpdir(), 'hotline-bench-triage-'));
  const config: Config = buildConfig(
    parseEnv({
      NODE_ENV: 'test',
      HOTLINE_DB: join(dir, 'hotline.db'),
      HOTLINE_FETCH_ALLOW: pair,
      HOTLINE_LOG_LEVEL: 'silent',
      HOTLINE_WORKER_CONCURRENCY: process.env.HOTLINE_WORKER_CONCURRENCY ?? '4',
    }),
    randomBytes(32),
  );
  const database = openDatabase(config.dbPath);
  const { db } = database;
  try {
    runMigrations(db);
    // A bank of realistic size, so matching costs what it would.
    db.transaction((tx) => {
      const bankId = createBank(tx, { name: 'partner' }, 0);
      const rows = Array.from({ length: BANK_ENTRIES }, (_, i) => ({
        line: i + 1,
        signalType: (['pdq', 'blockhash', 'md5'] as const)[i % 3] as 'pdq' | 'blockhash' | 'md5',
        value: i % 3 === 2 ? randomBytes(16).toString('hex') : randomHex256(),
        label: 'national/real_abuse',
        sourceRef: null,
      }));
      insertBankEntries(tx, bankId, rows, 0);
    });
    const urls = images.map((_, i) => `http://${pair}/img/${i}`);
    const keys = deriveIntakeKeys(config.secretKey);
    for (let i = 0; i < urls.length; i += URLS_PER_REPORT) {
      submitReport(
        { db, keys, now: Date.now, fetchAllow: config.fetch.allow },
        { urls: urls.slice(i, i + URLS_PER_REPORT), category: 'csam', siteType: 'website', mediaType: 'image' },
      );
    }
    const concurrency = config.worker.concurrency;
    const fetcher = createFetcher(fetchOptionsFromConfig(config));
    const running = await createTriageWorker({ config, db, logger: createLogger('silent'), now: Date.now });

    // Baseline: the same fetches, same concurrency, bytes dropped unhashed.
    const fetchOnly = () => runWithConcurrency(urls, concurrency, async (url) => void (await fetcher.fetch(url)));
    // Subject: the worker drains every triage job through the whole pipeline, then they are put back.
    const pipeline = async () => {
      const taken = await running.worker.drain();
      const done = db
        .select({ status: jobs.status })
        .from(jobs)
        .all()
        .filter((j) => j.status === 'done').length;
      if (taken !== ITEMS || done !== ITEMS)
        throw new Error(`expected ${ITEMS} jobs done, took ${taken}, ${done} done`);
      database.sqlite.exec(
        "update jobs set status = 'pending', attempts = 0, available_at = 0, locked_by = null, locked_until = null",
      );
    };
    const seconds = async (run: () => Promise<void>) => {
      const started = performance.now();
      await run();
      return (performance.now() - started) / 1000;
    };

    // One round of each to warm up (connections, JIT, the hosting and match indexes), then
    // alternate, so drift in the machine's load falls on both alike.
    await fetchOnly();
    await pipeline();
    const times = { fetchOnly: [] as number[], pipeline: [] as number[] };
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [subject, run] of [
        ['fetchOnly', fetchOnly],
        ['pipeline', pipeline],
      ] as const) {
        const elapsed = await seconds(run);
        times[subject].push(elapsed);
        process.stdout.write(
          `${JSON.stringify({ subject, round, items: ITEMS, concurrency, seconds: round3(elapsed), itemsPerSecond: round1(ITEMS / elapsed) })}\n`,
        );
      }
    }
    await running.stop(0);
    await fetcher.close();

    const itemsPerSecond = ITEMS / median(times.pipeline);
    const fetchOnlyPerSecond = ITEMS / median(times.fetchOnly);
    process.stdout.write(
      `${JSON.stringify({ bench: 'triage', rounds: ROUNDS, itemsPerSecond: round1(itemsPerSecond), fetchOnlyPerSecond: round1(fetchOnlyPerSecond), vsFetchOnly: round3(itemsPerSecond / fetchOnlyPerSecond), signalsPoolSize: defaultPoolSize() })}\n`,
    );
  } finally {
    database.close();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const round1 = (value: number) => Number(value.toFixed(1));
const round3 = (value: number) => Number(value.toFixed(3));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
