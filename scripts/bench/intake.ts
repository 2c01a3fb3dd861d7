import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { freePort } from '../../tests/support/server.ts';
import { buildLikeNpmStart, type ServerProcess, startServerProcess } from './server-process.ts';

/**
 * Public reports per second through `POST /api/v1/reports` of the real server, started as
 * `npm start` starts it (the build in dist/, a real SQLite file with synchronous=FULL, the worker
 * running, fetching off), against a bare Express 5 handler that parses the same JSON and does
 * nothing, in the same run, both driven by autocannon on loopback with the same connections and
 * the same bodies (each report a new address): both warmed up, then alternated over three rounds;
 * the summary compares medians. The throttle is raised through its configuration
 * (HOTLINE_REPORT_LIMIT): every request here comes from one address.
 * Afterwards the database must hold exactly as many reports as were acknowledged.
 */

const CONNECTIONS = 20;
const WARMUP_SECONDS = 3;
/** Measured rounds of each, alternating, so a burst of other work on the machine hits both alike. */
const ROUNDS = 3;
const SECONDS = 5;
const goal = { ratio: 0.5, p99Ms: 50 };

const reportBody = (n: number) =>
  JSON.stringify({
    urls: [`https://www.example.com/gallery/${n}/photo.jpg`, `https://img${n % 97}.example.net/u/${n}`],
    category: 'csam',
    siteType: 'image_host',
    mediaType: 'image',
    description: 'Seen on a forum thread linking to an image host.',
  });

interface Measured {
  reportsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  acknowledged: number;
}

/** Drives `origin` for `seconds` with a new report body on each request. */
async function drive(origin: string, seconds: number, firstBody: number): Promise<Measured> {
  let n = firstBody;
  const result = await autocannon({
    url: `${origin}/api/v1/reports`,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => ({ ...request, body: reportBody(n++) }),
      },
    ],
  });
  return {
    reportsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    acknowledged: result['2xx'],
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

function medians(rounds: Measured[]): Measured {
  const sum = (key: keyof Measured) => rounds.reduce((total, round) => total + round[key], 0);
  return {
    reportsPerSecond: median(rounds.map((r) => r.reportsPerSecond)),
    p50Ms: median(rounds.map((r) => r.p50Ms)),
    p99Ms: median(rounds.map((r) => r.p99Ms)),
    errors: sum('errors'),
    timeouts: sum('timeouts'),
    non2xx: sum('non2xx'),
    acknowledged: sum('acknowledged'),
  };
}

function reportsStored(dbPath: string): number {
  const db = new Database(dbPath, { readonly: true });
  try {
    return (db.prepare('select count(*) as n from reports').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

export default async function benchIntake(): Promise<void> {
  buildLikeNpmStart();
  const dir = mkdtempSync(join(tmpdir(), 'hotline-bench-intake-'));
  const dbPath = join(dir, 'hotline.db');
  const print = (line: object) => process.stdout.write(`${JSON.stringify({ bench: 'intake', ...line })}\n`);
  print({
    connections: CONNECTIONS,
    rounds: ROUNDS,
    seconds: SECONDS,
    loadAverage1m: Number(loadavg()[0]?.toFixed(2)),
  });
  const bare = await startServerProcess(['--import', 'tsx', 'scripts/bench/bare-intake-server.ts'], await freePort(), {
    NODE_ENV: 'production',
  });
  const hotline = await startServerProcess(['dist/main.js'], await freePort(), {
    NODE_ENV: 'production',
    HOTLINE_DB: dbPath,
    HOTLINE_FETCH: 'off',
    HOTLINE_REPORT_LIMIT: '1000000000',
  }).catch(async (error: unknown) => {
    await bare.stop();
    throw error;
  });
  try {
    let body = 0;
    const run = async (server: ServerProcess, seconds: number) => {
      const measured = await drive(server.origin, seconds, body);
      body += 10_000_000;
      return measured;
    };
    await run(bare, WARMUP_SECONDS);
    let hotlineAcknowledged = (await run(hotline, WARMUP_SECONDS)).acknowledged;
    const baselineRounds: Measured[] = [];
    const subjectRounds: Measured[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const baseline = await run(bare, SECONDS);
      print({ round, subject: 'baseline: bare Express 5 JSON handler', ...baseline });
      const subject = await run(hotline, SECONDS);
      print({ round, subject: 'hotline: POST /api/v1/reports (npm start, synchronous=FULL)', ...subject });
      baselineRounds.push(baseline);
      subjectRounds.push(subject);
      hotlineAcknowledged += subject.acknowledged;
    }
    await hotline.stop();
    const stored = reportsStored(dbPath);
    const baseline = medians(baselineRounds);
    const subject = medians(subjectRounds);
    const ratio = Number((subject.reportsPerSecond / baseline.reportsPerSecond).toFixed(2));
    print({
      summary: true,
      ratio,
      reportsPerSecond: subject.reportsPerSecond,
      baselineReportsPerSecond: baseline.reportsPerSecond,
      p50Ms: subject.p50Ms,
      p99Ms: subject.p99Ms,
      baselineP99Ms: baseline.p99Ms,
      errors: subject.errors + subject.timeouts,
      non2xx: subject.non2xx,
      goalMet: ratio >= goal.ratio && subject.p99Ms < goal.p99Ms,
      // Requests still open when a run stopped may be stored unanswered: never fewer than acknowledged.
      acknowledgedAllStored: stored >= hotlineAcknowledged,
      loadAverage1m: Number(loadavg()[0]?.toFixed(2)),
    });
  } finally {
    await Promise.all([bare.stop(), hotline.stop()]);
    rmSync(dir, { recursive: true, force: true });
  }
}
