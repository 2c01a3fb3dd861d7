import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditKey } from '../../src/audit/chain.ts';
import { verifyAuditChain } from '../../src/audit/verify.ts';
import { buildConfig, parseEnv } from '../../src/config.ts';
import { openDatabase } from '../../src/db/client.ts';
import { freePort } from '../../tests/support/server.ts';
import { buildLikeNpmStart, type ServerProcess, startServerProcess } from './server-process.ts';

/**
 * Nothing acknowledged is lost: reports are sent under load to the real server (the build `npm
 * start` runs, a real SQLite file, synchronous=FULL, its triage worker fetching from a loopback
 * site this script serves), and the server is killed with SIGKILL at random moments. After each
 * restart every receipt that was acknowledged must resolve (`POST /api/v1/status`), and the audit
 * chain, appended to by failed sign-ins sent along with the reports, must verify. At the end the
 * job queue must finish every job, those a kill left running included (their locks expire first).
 */

export interface CrashOptions {
  kills: number;
  /** Wait for the job queue to finish every job at the end (the locks of killed jobs expire after a minute). */
  finishJobs: boolean;
  connections?: number;
  /**
   * Each kill comes at a random moment between these times (ms) after the audit chain grew (a
   * failed sign-in takes seconds: argon2).
   */
  minLoadMs?: number;
  maxLoadMs?: number;
  print?: (line: object) => void;
}

export interface CrashOutcome {
  kills: number;
  acknowledged: number;
  lost: number;
  /** Requests cut by a kill: never acknowledged, so they may or may not be stored. */
  unanswered: number;
  auditVerified: boolean;
  auditEvents: number;
  jobs: { total: number; done: number; unfinished: number; failed: number; scheduled: number };
  /** Jobs of acknowledged reports' items missing from the queue. */
  itemsWithoutJob: number;
}

const reportBody = (origin: string, n: number) =>
  JSON.stringify({
    urls: [`${origin}/page/${n}`],
    category: 'csam',
    siteType: 'forum',
    mediaType: 'image',
    description: 'Crash test report.',
  });

/** The site the reports point at: a small page for every address, so triage has work that ends. */
async function startReportedSite() {
  const site = createServer((_req, res) => {
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end('<!doctype html><title>t</title><p>text</p>');
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  const { port } = site.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    pair: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        site.closeAllConnections();
        site.close(() => resolve());
      }),
  };
}

const postJson = (url: string, body: string) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

/**
 * `connections` loops posting reports until `stopped()`; each acknowledged receipt is kept. A
 * failed sign-in (an audit event) goes along every 150 ms, twenty at most: the login throttle's limit.
 */
async function sendUnderLoad(
  server: ServerProcess,
  site: string,
  connections: number,
  next: () => number,
  stopped: () => boolean,
  receipts: string[],
): Promise<number> {
  let unanswered = 0;
  const reportLoop = async () => {
    while (!stopped()) {
      try {
        const answer = await postJson(`${server.origin}/api/v1/reports`, reportBody(site, next()));
        if (answer.status !== 201) throw new Error(`status ${answer.status}: ${await answer.text()}`);
        receipts.push(((await answer.json()) as { receipt: string }).receipt);
      } catch (error) {
        if (!stopped()) throw error;
        unanswered += 1;
      }
    }
  };
  // Sign-ins are slow on purpose (argon2): sent without waiting for each other, so several are in flight.
  const signIns: Promise<unknown>[] = [];
  const signInLoop = async () => {
    for (let i = 0; i < 20 && !stopped(); i++) {
      const body = JSON.stringify({ username: `nobody${i}`, password: 'not the password', totp: '000000' });
      signIns.push(postJson(`${server.origin}/api/v1/session`, body).catch(() => undefined));
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    await Promise.all(signIns);
  };
  await Promise.all([...Array.from({ length: connections }, reportLoop), signInLoop()]);
  return unanswered;
}

/** A receipt checked through the public status API; a timeout on a loaded machine is asked again. */
async function receiptResolves(server: ServerProcess, receipt: string): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    const answer = await postJson(`${server.origin}/api/v1/status`, JSON.stringify({ receipt }));
    await answer.arrayBuffer();
    if (answer.status === 200) return true;
    if (answer.status === 404) return false;
    if (attempt === 3) throw new Error(`status check answered ${answer.status}`);
  }
}

/** Every receipt checked: the ones that do not resolve are lost. */
async function countLost(server: ServerProcess, receipts: string[]): Promise<number> {
  let lost = 0;
  for (let i = 0; i < receipts.length; i += 20) {
    const resolved = await Promise.all(receipts.slice(i, i + 20).map((receipt) => receiptResolves(server, receipt)));
    lost += resolved.filter((found) => !found).length;
  }
  return lost;
}

export async function runCrashTest(options: CrashOptions): Promise<CrashOutcome> {
  const { kills, connections = 20, minLoadMs = 0, maxLoadMs = 3_000, print = () => {} } = options;
  buildLikeNpmStart();
  const dir = mkdtempSync(join(tmpdir(), 'hotline-bench-crash-'));
  const site = await startReportedSite();
  const secretKey = randomBytes(32).toString('hex');
  const env = {
    NODE_ENV: 'test',
    HOTLINE_DB: join(dir, 'hotline.db'),
    HOTLINE_SECRET_KEY: secretKey,
    HOTLINE_LOG_LEVEL: 'warn',
    HOTLINE_FETCH: 'on',
    HOTLINE_FETCH_ALLOW: site.pair,
    HOTLINE_TRIAGE_DELAY: 'off',
    HOTLINE_REPORT_LIMIT: '1000000000',
    HOTLINE_STATUS_LIMIT: '1000000000',
  };
  const config = buildConfig(parseEnv(env), Buffer.from(secretKey, 'hex'));
  const receipts: string[] = [];
  let reportNumber = 0;
  let unanswered = 0;
  let lost = 0;
  let server = await startServerProcess(['dist/main.js'], await freePort(), env, true);
  const database = openDatabase(config.dbPath);
  const verifyAudit = () => database.db.transaction((tx) => verifyAuditChain(tx, auditKey(config)));
  try {
    for (let kill = 1; kill <= kills; kill++) {
      let stopped = false;
      const load = sendUnderLoad(
        server,
        site.origin,
        connections,
        () => reportNumber++,
        () => stopped,
        receipts,
      );
      // The kill comes while the chain is being appended to: after a new event, at a random moment.
      const waitedForAuditMs = await untilAuditGrows(database.sqlite);
      const killAfterMs = minLoadMs + Math.floor(Math.random() * (maxLoadMs - minLoadMs));
      await new Promise((resolve) => setTimeout(resolve, killAfterMs));
      stopped = true;
      await server.stop('SIGKILL');
      unanswered += await load;
      server = await startServerProcess(['dist/main.js'], await freePort(), env, true);
      lost = await countLost(server, receipts);
      const audit = verifyAudit();
      print({
        kill,
        waitedForAuditMs,
        killAfterMs,
        acknowledged: receipts.length,
        lost,
        auditVerified: audit.ok,
        auditEvents: audit.events,
      });
      if (lost > 0 || !audit.ok) break;
    }
    const jobs = options.finishJobs ? await waitForJobs(database.sqlite, print) : countJobs(database.sqlite);
    const audit = verifyAudit();
    return {
      kills,
      acknowledged: receipts.length,
      lost,
      unanswered,
      auditVerified: audit.ok,
      auditEvents: audit.events,
      jobs,
      itemsWithoutJob: itemsWithoutJob(database.sqlite),
    };
  } finally {
    await server.stop('SIGTERM');
    database.close();
    await site.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

type Sqlite = ReturnType<typeof openDatabase>['sqlite'];

const auditEventCount = (sqlite: Sqlite) =>
  (sqlite.prepare('select count(*) as n from audit_events').get() as { n: number }).n;

/** Waits (a minute at most) until the audit chain holds one more event than now; returns the time waited. */
async function untilAuditGrows(sqlite: Sqlite): Promise<number> {
  const before = auditEventCount(sqlite);
  const started = Date.now();
  while (auditEventCount(sqlite) === before && Date.now() - started < 60_000) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return Date.now() - started;
}

/**
 * The queue's jobs by state. `unfinished`: running, or pending and due; `scheduled`: pending for
 * later (the housekeeping worker's daily job), which nothing here waits for.
 */
function countJobs(sqlite: Sqlite): CrashOutcome['jobs'] {
  const counts = sqlite
    .prepare(`select count(*) as total, sum(status = 'done') as done, sum(status = 'failed') as failed,
      sum(status = 'running' or (status = 'pending' and available_at <= ?)) as unfinished,
      sum(status = 'pending' and available_at > ?) as scheduled from jobs`)
    .get(Date.now(), Date.now()) as Record<string, number | null>;
  return {
    total: counts.total ?? 0,
    done: counts.done ?? 0,
    failed: counts.failed ?? 0,
    unfinished: counts.unfinished ?? 0,
    scheduled: counts.scheduled ?? 0,
  };
}

/** Items of stored reports with no triage job at all: work that was acknowledged and dropped. */
function itemsWithoutJob(sqlite: Sqlite): number {
  return (
    sqlite
      .prepare(`select count(*) as n from items
        where not exists (select 1 from jobs where jobs.idempotency_key = 'triage:item:' || items.id)`)
      .get() as { n: number }
  ).n;
}

/** Waits until no job is pending or running: killed jobs come back once their lock expired (a minute) and their backoff passed. */
async function waitForJobs(sqlite: Sqlite, print: (line: object) => void): Promise<CrashOutcome['jobs']> {
  const started = Date.now();
  const deadline = started + 5 * 60_000;
  for (;;) {
    const jobs = countJobs(sqlite);
    if (jobs.unfinished === 0 || Date.now() > deadline) {
      const now = Date.now();
      const unfinished = sqlite
        .prepare(`select id, type, status, attempts, last_error as lastError, available_at - ? as availableInMs,
          locked_until - ? as lockedForMs from jobs where status = 'running' or (status = 'pending' and available_at <= ?)`)
        .all(now, now, now);
      print({
        jobsFinishedAfterMs: now - started,
        ...jobs,
        ...(unfinished.length ? { unfinishedJobs: unfinished } : {}),
      });
      return jobs;
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

export default async function benchCrash(): Promise<void> {
  const print = (line: object) => process.stdout.write(`${JSON.stringify({ bench: 'crash', ...line })}\n`);
  const outcome = await runCrashTest({ kills: 5, finishJobs: true, print });
  const sound =
    outcome.lost === 0 &&
    outcome.auditVerified &&
    outcome.jobs.unfinished === 0 &&
    outcome.jobs.failed === 0 &&
    outcome.jobs.done === outcome.jobs.total - outcome.jobs.scheduled &&
    outcome.itemsWithoutJob === 0;
  print({ summary: true, ...outcome, sound });
  process.stdout.write(`acknowledged ${outcome.acknowledged}, lost ${outcome.lost}\n`);
  if (!sound) process.exitCode = 1;
}
