import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anchorJobHandler, anchorJobType, scheduleDailyAnchor } from '../../src/anchoring/anchor-job.ts';
import { auditKey } from '../../src/audit/chain.ts';
import { auditedTransaction, recordAuditEvent } from '../../src/audit/record.ts';
import type { AuditAnchorTarget } from '../../src/config.ts';
import { type DatabaseHandle, openDatabase } from '../../src/db/client.ts';
import { runMigrations } from '../../src/db/migrate.ts';
import { createWorker } from '../../src/jobs/worker.ts';
import { createLogger } from '../../src/logger.ts';
import { createClock, type TestClock } from '../support/app.ts';
import { rows } from '../support/db.ts';
import { startLoopbackServer } from '../support/loopback-server.ts';

const dayMs = 86_400_000;
const secretKeyHex = '5a'.repeat(32);
const key = auditKey({ hashKey: Buffer.from(secretKeyHex, 'hex') });

let dir: string;
let dbPath: string;
let handle: DatabaseHandle;
let clock: TestClock;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hotline-anchor-'));
  dbPath = join(dir, 'hotline.db');
  handle = openDatabase(dbPath);
  runMigrations(handle.db);
  clock = createClock(Date.UTC(2026, 2, 1, 12, 0));
});
afterEach(() => {
  handle.close();
  rmSync(dir, { recursive: true, force: true });
});

function addEvents(count: number): void {
  auditedTransaction(handle.db, (tx) => {
    for (let i = 0; i < count; i++) {
      recordAuditEvent(tx, key, { at: clock.now(), actor: 'system', action: 'user.create', objectType: 'user' });
    }
  });
}

const head = () => rows(handle, 'select seq, hash from audit_events order by seq desc limit 1')[0];

function anchorWorker(target: AuditAnchorTarget | undefined) {
  return createWorker({
    db: handle.db,
    logger: createLogger('silent'),
    now: clock.now,
    handlers: { [anchorJobType]: anchorJobHandler({ db: handle.db, target, now: clock.now }) },
    concurrency: 1,
  });
}

/** One day's anchor: scheduled as the housekeeping worker does, then run. */
async function anchorToday(target: AuditAnchorTarget | undefined): Promise<void> {
  handle.db.transaction((tx) => scheduleDailyAnchor(tx, clock.now()));
  expect(await anchorWorker(target).drain()).toBe(1);
}

function hotlineAuditVerify(anchorsFile: string) {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'src/cli/index.ts', 'audit', 'verify', '--anchors', anchorsFile],
    { env: { ...process.env, HOTLINE_DB: dbPath, HOTLINE_SECRET_KEY: secretKeyHex }, encoding: 'utf8' },
  );
  return { code: result.status, out: result.stdout.trim(), err: result.stderr };
}

describe('the daily audit anchor to a file', () => {
  it('appends the head each day; verify --anchors passes while the chain is intact, fails once its newest events are deleted', async () => {
    const file = join(dir, 'anchors.jsonl');
    const target: AuditAnchorTarget = { kind: 'file', path: file };
    addEvents(3);
    await anchorToday(target);
    const first = head();
    clock.advance(dayMs);
    addEvents(4);
    await anchorToday(target);
    const second = head();
    expect(second?.seq).toBe(7);
    addEvents(2); // after the last anchor: not covered, may be cut without the anchors seeing it

    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([
      { ...first, at: new Date(Date.UTC(2026, 2, 1, 12, 0)).toISOString() },
      { ...second, at: new Date(Date.UTC(2026, 2, 2, 12, 0)).toISOString() },
    ]);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const intact = hotlineAuditVerify(file);
    expect(intact.code, intact.err).toBe(0);
    expect(JSON.parse(intact.out)).toMatchObject({ ok: true, events: 9, anchors: 2 });

    // Cut at the newest anchor: its event is gone, the rest of the chain still links.
    handle.sqlite.prepare('delete from audit_events where seq >= ?').run(second?.seq);
    const cut = hotlineAuditVerify(file);
    expect(cut.code).toBe(1);
    expect(JSON.parse(cut.out)).toEqual({ ok: false, events: 6, brokenAt: 7, reason: 'anchor', anchors: 2 });
    expect(cut.err).toContain(`anchored event ${second?.seq}`);
  }, 120_000); // two CLI processes: slow on a loaded machine

  it('writes nothing for an empty chain, or without a target, and still schedules the next day', async () => {
    const file = join(dir, 'anchors.jsonl');
    await anchorToday({ kind: 'file', path: file });
    clock.advance(dayMs);
    addEvents(1);
    await anchorToday(undefined);
    expect(() => statSync(file)).toThrow();
    expect(rows(handle, 'select idempotency_key, status from jobs order by id')).toEqual([
      { idempotency_key: 'audit:anchor:2026-03-01', status: 'done' },
      { idempotency_key: 'audit:anchor:2026-03-02', status: 'done' },
      { idempotency_key: 'audit:anchor:2026-03-03', status: 'pending' },
    ]);
  });

  it('fails the job with a stable reason when the file cannot be written, to be tried again', async () => {
    addEvents(1);
    handle.db.transaction((tx) => scheduleDailyAnchor(tx, clock.now()));
    await anchorWorker({ kind: 'file', path: join(dir, 'no-such-dir', 'anchors.jsonl') }).drain();
    expect(rows(handle, 'select status, attempts, last_error from jobs')).toEqual([
      { status: 'pending', attempts: 1, last_error: 'anchor_file:ENOENT' },
    ]);
  });
});

describe('the daily audit anchor to an HTTP endpoint', () => {
  const received: { method: string; type: string; body: string }[] = [];
  let answer = 204;
  const server = startLoopbackServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push({ method: req.method ?? '', type: req.headers['content-type'] ?? '', body });
      res.writeHead(answer).end();
    });
  });
  afterAll(async () => (await server).close());

  it('POSTs the head as JSON, and retries when the endpoint does not take it', async () => {
    const { origin } = await server;
    addEvents(5);
    const target: AuditAnchorTarget = { kind: 'http', url: `${origin}/anchors` };
    await anchorToday(target);
    expect(received).toEqual([
      { method: 'POST', type: 'application/json', body: JSON.stringify({ ...head(), at: '2026-03-01T12:00:00.000Z' }) },
    ]);

    answer = 503;
    clock.advance(dayMs);
    handle.db.transaction((tx) => scheduleDailyAnchor(tx, clock.now()));
    await anchorWorker(target).drain();
    expect(received).toHaveLength(2);
    expect(rows(handle, "select status, attempts, last_error from jobs where status <> 'done'")).toEqual([
      { status: 'pending', attempts: 1, last_error: 'anchor_http:503' },
    ]);
  });
});
