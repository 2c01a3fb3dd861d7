import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CommitDurability, DatabaseHandle, Tx } from '../../src/db/client.ts';
import { jobs } from '../../src/db/schema/jobs.ts';
import { backoffMs, type ClaimedJob, claimJob, completeJob, enqueueJob } from '../../src/jobs/queue.ts';
import { createWorker, failureReason, type JobHandler, type JobHooks, type Worker } from '../../src/jobs/worker.ts';
import { createLogger } from '../../src/logger.ts';
import { createTestDatabase } from '../support/db.ts';
import { createWorkspace } from '../support/worker-process.ts';

const t0 = 1_700_000_000_000;
/** Waits for what the worker does on its own timers; generous, for a loaded machine. */
const eventually = (check: () => void) => vi.waitFor(check, { timeout: 15_000, interval: 5 });
const lockMs = 60_000;
const logger = createLogger('silent');
let handle: DatabaseHandle;
let workers: Worker[];

beforeEach(() => {
  handle = createTestDatabase();
  handle.sqlite.exec('create table effects (job_id integer not null, worker text not null)');
  workers = [];
});
afterEach(async () => {
  await Promise.all(workers.map((w) => w.stop(0)));
  handle.close();
});

function enqueue(count: number, maxAttempts = 5): void {
  handle.db.transaction((tx) => {
    for (let i = 0; i < count; i++) {
      enqueueJob(tx, { type: 'test', payload: { n: i }, idempotencyKey: `test:${i}`, now: t0, maxAttempts });
    }
  });
}

/** A worker whose jobs get a 1 ms budget and a 30 ms lock: for overrunning jobs. */
function startBudgetedWorker(handlers: Record<string, JobHandler>, now: () => number, concurrency: number): void {
  const w = createWorker({
    db: handle.db,
    logger,
    handlers,
    now,
    concurrency,
    lockMs: 30,
    pollMs: 5,
    budgetMs: 1,
    workerId: 'budgeted',
  });
  workers.push(w);
  w.start();
}

/** The job's visible effect, written in the completion transaction: counting them shows exactly-once. */
const recordEffect = (job: ClaimedJob, worker: string) => (_tx: Tx) => {
  handle.sqlite.prepare('insert into effects (job_id, worker) values (?, ?)').run(job.id, worker);
};
const effects = () => handle.sqlite.prepare('select job_id as jobId, worker from effects order by job_id').all();
const jobRow = (id: number) => handle.db.select().from(jobs).where(eq(jobs.id, id)).get();

/** A handler whose jobs wait until the test lets each one go. */
function gatedHandler(name = 'w') {
  const gates = new Map<number, () => void>();
  const handler: JobHandler & { started: number[]; signals: AbortSignal[]; release(id: number): void } = {
    started: [],
    signals: [],
    release: (id) => gates.get(id)?.(),
    async run(job, signal) {
      handler.started.push(job.id);
      handler.signals.push(signal);
      await new Promise<void>((resolve) => gates.set(job.id, resolve));
      return recordEffect(job, name);
    },
    onReleased: vi.fn(),
    onFailed: vi.fn(),
    onClaimed: vi.fn(),
  };
  return handler;
}

function worker(
  handlers: Record<string, JobHandler>,
  options: {
    concurrency?: number;
    now?: () => number;
    id?: string;
    hooks?: Record<string, JobHooks>;
    completionDurability?: CommitDurability;
  } = {},
) {
  const w = createWorker({
    db: handle.db,
    logger,
    handlers,
    ...(options.hooks ? { hooks: options.hooks } : {}),
    ...(options.completionDurability ? { completionDurability: options.completionDurability } : {}),
    now: options.now ?? (() => t0),
    concurrency: options.concurrency ?? 2,
    lockMs,
    pollMs: 5,
    workerId: options.id ?? 'worker-1',
  });
  workers.push(w);
  return w;
}

describe('worker', () => {
  it('runs at most `concurrency` jobs at once and takes the next when one ends', async () => {
    enqueue(3);
    const handler = gatedHandler();
    const w = worker({ test: handler }, { concurrency: 2 });
    w.start();
    await eventually(() => expect(handler.started).toHaveLength(2));
    expect(handler.onClaimed).toHaveBeenCalledTimes(2);
    handler.release(handler.started[0] ?? 0);
    await eventually(() => expect(handler.started).toHaveLength(3));
    for (const id of handler.started) handler.release(id);
    await eventually(() => expect(effects()).toHaveLength(3));
    expect(
      handle.db
        .select()
        .from(jobs)
        .all()
        .every((j) => j.status === 'done'),
    ).toBe(true);
  });

  it('drain runs every available job and reports how many', async () => {
    enqueue(4);
    const handler: JobHandler = { run: async (job) => recordEffect(job, 'w') };
    expect(await worker({ test: handler }).drain()).toBe(4);
    expect(effects()).toHaveLength(4);
  });

  it('leaves job types it has no handler for', async () => {
    enqueue(1);
    expect(await worker({ other: { run: async () => () => {} } }).drain()).toBe(0);
    expect(jobRow(1)?.status).toBe('pending');
  });

  it('a failing job retries with backoff and ends failed, telling its handler', async () => {
    enqueue(1, 2);
    let now = t0;
    const onFailed = vi.fn();
    const handler: JobHandler = {
      run: async () => {
        throw Object.assign(new Error('https://example.invalid/secret'), { reason: 'dns' });
      },
      onFailed,
    };
    const w = worker({ test: handler }, { now: () => now });
    expect(await w.drain()).toBe(1);
    expect(jobRow(1)).toMatchObject({ status: 'pending', lastError: 'dns', availableAt: t0 + backoffMs(1) });
    expect(onFailed).toHaveBeenLastCalledWith(expect.anything(), expect.objectContaining({ id: 1 }), {
      reason: 'dns',
      final: false,
    });
    expect(await w.drain()).toBe(0);
    now = t0 + backoffMs(1);
    expect(await w.drain()).toBe(1);
    expect(jobRow(1)).toMatchObject({ status: 'failed', attempts: 2, lastError: 'dns' });
    expect(onFailed).toHaveBeenLastCalledWith(expect.anything(), expect.objectContaining({ id: 1 }), {
      reason: 'dns',
      final: true,
    });
  });

  it('a result whose write throws is not stored and counts as a failure', async () => {
    enqueue(1);
    const handler: JobHandler = {
      run: async (job) => (tx) => {
        recordEffect(job, 'w')(tx);
        throw new TypeError('write failed');
      },
    };
    await worker({ test: handler }).drain();
    expect(effects()).toEqual([]);
    expect(jobRow(1)).toMatchObject({ status: 'pending', lastError: 'error:TypeError' });
  });

  it('with `normal` completions, commits finished jobs with synchronous NORMAL and failures with FULL', async () => {
    enqueue(4, 1);
    const synchronous = () => handle.sqlite.pragma('synchronous', { simple: true }) as number;
    const seenByCompletion: number[] = [];
    const seenByFailure: number[] = [];
    const handler: JobHandler = {
      run: async (job) => {
        if ((job.payload as { n: number }).n % 2 === 1) throw new Error('fetch failed');
        return (tx) => {
          seenByCompletion.push(synchronous());
          recordEffect(job, 'w')(tx);
        };
      },
      onFailed: () => {
        seenByFailure.push(synchronous());
      },
    };
    expect(await worker({ test: handler }, { completionDurability: 'normal' }).drain()).toBe(4);
    expect(seenByCompletion).toEqual([1, 1]);
    expect(seenByFailure).toEqual([2, 2]);
    expect(effects()).toHaveLength(2);
    expect(synchronous()).toBe(2);
  });

  it('error reasons are stable ids, never messages', () => {
    expect(failureReason(Object.assign(new Error('x'), { reason: 'timeout' }))).toBe('timeout');
    expect(failureReason(Object.assign(new Error('x'), { reason: 'http://a b' }))).toBe('error:Error');
    expect(failureReason(new RangeError('http://example.invalid/'))).toBe('error:RangeError');
    expect(failureReason('a string')).toBe('error:unknown');
  });
});

describe('stopping', () => {
  it('stops claiming and lets running jobs finish within the grace period', async () => {
    enqueue(3);
    const handler = gatedHandler();
    const w = worker({ test: handler }, { concurrency: 2 });
    w.start();
    await eventually(() => expect(handler.started).toHaveLength(2));
    const stopped = w.stop(60_000);
    for (const id of handler.started) handler.release(id);
    await stopped;
    expect(effects()).toHaveLength(2);
    expect(handler.started).toHaveLength(2);
    expect(jobRow(3)?.status).toBe('pending');
    expect(handler.onReleased).not.toHaveBeenCalled();
  });

  it('releases jobs still running after the grace period and drops their late results', async () => {
    enqueue(1);
    const handler = gatedHandler();
    const w = worker({ test: handler });
    w.start();
    await eventually(() => expect(handler.started).toHaveLength(1));
    await w.stop(1);
    expect(jobRow(1)).toMatchObject({ status: 'pending', attempts: 0, lockedBy: null });
    expect(handler.onReleased).toHaveBeenCalledTimes(1);
    expect(handler.signals[0]?.aborted).toBe(true);
    handler.release(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(effects()).toEqual([]);
    // The released job runs again, for whoever starts next.
    expect(await worker({ test: { run: async (job) => recordEffect(job, 'next') } }, { id: 'worker-2' }).drain()).toBe(
      1,
    );
    expect(effects()).toEqual([{ jobId: 1, worker: 'next' }]);
  });
});

describe('budget', () => {
  it('aborts a job past its budget and stops renewing its lock, so a job that does not end is taken back', async () => {
    enqueue(1);
    let now = t0;
    const signals: AbortSignal[] = [];
    let release = () => {};
    const overrunning: JobHandler = {
      async run(job, signal) {
        signals.push(signal);
        // Ignores its signal: only the lock's expiry can take the job back.
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return recordEffect(job, 'late');
      },
    };
    const probe: JobHandler = { run: async (job) => recordEffect(job, 'probe') };
    startBudgetedWorker({ test: overrunning, probe }, () => now, 2);
    await eventually(() => expect(signals[0]?.aborted).toBe(true));
    now = t0 + 10_000;
    // Once the probe ran, the worker has polled (renewing, reclaiming) with the clock moved on.
    handle.db.transaction((tx) => enqueueJob(tx, { type: 'probe', payload: {}, idempotencyKey: 'probe', now: t0 }));
    await eventually(() => expect(effects()).toEqual([{ jobId: 2, worker: 'probe' }]));
    expect(jobRow(1)).toMatchObject({ status: 'pending', lastError: 'lock_expired', lockedBy: null });
    release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(effects()).toEqual([{ jobId: 2, worker: 'probe' }]);
  });

  it('does not run a job again while its own overrun of it is still running, and then runs it once', async () => {
    enqueue(1);
    let now = t0;
    const runs: { signal: AbortSignal; release: () => void }[] = [];
    const overrunning: JobHandler = {
      async run(job, signal) {
        // Ignores its signal: only the lock's expiry can take the job back.
        await new Promise<void>((resolve) => runs.push({ signal, release: resolve }));
        return recordEffect(job, `run-${runs.length}`);
      },
    };
    let probes = 0;
    const probe: JobHandler = { run: async (job) => recordEffect(job, `probe-${++probes}`) };
    startBudgetedWorker({ test: overrunning, probe }, () => now, 3);
    await eventually(() => expect(runs[0]?.signal.aborted).toBe(true));
    const runProbe = async () => {
      const key = `probe-${probes + 1}`;
      handle.db.transaction((tx) => enqueueJob(tx, { type: 'probe', payload: {}, idempotencyKey: key, now: t0 }));
      const expected = probes + 1;
      await eventually(() => expect(probes).toBe(expected));
    };
    // Past the lock: the job is taken back. Then past its retry backoff: it is available again.
    now = t0 + 3_600_000;
    await runProbe();
    expect(jobRow(1)).toMatchObject({ status: 'pending', lastError: 'lock_expired' });
    now += 24 * 3_600_000;
    // Polls keep coming (each probe runs), yet the job is not started again beside its overrun.
    await runProbe();
    await runProbe();
    expect(runs).toHaveLength(1);
    expect(jobRow(1)?.status).toBe('pending');

    // The overrun ends (its late result is dropped); only then does the job run again, here, once.
    runs[0]?.release();
    await eventually(() => expect(runs).toHaveLength(2));
    runs[1]?.release();
    await eventually(() => expect(jobRow(1)?.status).toBe('done'));
    expect(effects().filter((e) => (e as { jobId: number }).jobId === 1)).toEqual([{ jobId: 1, worker: 'run-2' }]);
  });
});

describe('jobs of types a worker does not run', () => {
  it("reclaims them from a crashed worker and tells that type's hooks", async () => {
    enqueue(1);
    expect(claimJob(handle.db, { types: ['test'], workerId: 'dead', now: t0, lockMs })).not.toBeNull();
    const onFailed = vi.fn();
    const w = worker(
      { other: { run: async () => () => {} } },
      { now: () => t0 + lockMs + 1, hooks: { test: { onFailed } } },
    );
    expect(await w.drain()).toBe(0);
    expect(jobRow(1)).toMatchObject({ status: 'pending', lastError: 'lock_expired' });
    expect(onFailed).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ id: 1 }), {
      reason: 'lock_expired',
      final: false,
    });
  });
});

describe('lock renewal', () => {
  it('a long job keeps renewing its lock, so no other worker takes it back', async () => {
    enqueue(1);
    let now = t0;
    const handler = gatedHandler();
    const w = createWorker({
      db: handle.db,
      logger,
      handlers: { test: handler },
      now: () => now,
      concurrency: 1,
      lockMs: 30,
      pollMs: 5,
      workerId: 'slow',
    });
    workers.push(w);
    w.start();
    await eventually(() => expect(handler.started).toHaveLength(1));
    now = t0 + 10_000;
    await eventually(() => expect(jobRow(1)?.lockedUntil).toBe(now + 30));
    const other = worker(
      { test: { run: async (job) => recordEffect(job, 'other') } },
      { now: () => now + 1, id: 'other' },
    );
    expect(await other.drain()).toBe(0);
    expect(jobRow(1)).toMatchObject({ status: 'running', lockedBy: 'slow' });
    handler.release(1);
    await eventually(() => expect(effects()).toEqual([{ jobId: 1, worker: 'w' }]));
  });
});

describe('durability', () => {
  it('a job abandoned mid-run by a dead worker is reclaimed after its lock and completes exactly once', async () => {
    enqueue(1);
    // The dead worker: it claimed the job, then vanished without completing or releasing it.
    const abandoned = claimJob(handle.db, { types: ['test'], workerId: 'dead', now: t0, lockMs });
    expect(abandoned).not.toBeNull();

    let now = t0 + 1_000;
    const onFailed = vi.fn();
    const restarted = worker(
      { test: { run: async (job) => recordEffect(job, 'restarted'), onFailed } },
      { now: () => now, id: 'restarted' },
    );
    expect(await restarted.drain()).toBe(0);
    expect(jobRow(1)?.status).toBe('running');

    now = t0 + lockMs + 1;
    await restarted.drain();
    now += backoffMs(1);
    expect(await restarted.drain()).toBe(1);
    expect(onFailed).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ id: 1 }), {
      reason: 'lock_expired',
      final: false,
    });
    expect(jobRow(1)).toMatchObject({ status: 'done', attempts: 2 });

    // Should the dead worker come back with its result, it is refused: the effect exists once.
    const late = handle.db.transaction((tx) => completeJob(tx, { jobId: 1, workerId: 'dead', now }));
    expect(late).toBe(false);
    expect(effects()).toEqual([{ jobId: 1, worker: 'restarted' }]);
  });
});

describe('beside another process', () => {
  const holdWriteLock = fileURLToPath(new URL('../support/hold-write-lock.ts', import.meta.url));

  it('reclaims while another process writes: it waits for the write lock instead of failing on a stale read', async () => {
    const workspace = createWorkspace('hotline-worker-beside-');
    const shared = workspace.open();
    try {
      shared.db.transaction((tx) =>
        enqueueJob(tx, { type: 'test', payload: {}, idempotencyKey: 'test:0', now: t0, maxAttempts: 5 }),
      );
      claimJob(shared.db, { types: ['test'], workerId: 'dead', now: t0, lockMs });
      const now = t0 + lockMs + 1;
      const onFailed = vi.fn();
      const beside = createWorker({
        db: shared.db,
        logger,
        handlers: {},
        hooks: { test: { onFailed } },
        now: () => now,
        concurrency: 1,
      });
      const other = spawn(process.execPath, ['--import', 'tsx', holdWriteLock, workspace.dbPath], {
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      await once(other.stdout, 'data');
      other.stdin.write('go\n');
      // The other process commits while this reclaim runs: a deferred transaction would have read
      // the expired job before, and its write would fail with SQLITE_BUSY.
      await beside.drain();
      await once(other, 'exit');
      expect(onFailed).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ id: 1 }), {
        reason: 'lock_expired',
        final: false,
      });
      const rows = shared.db.select({ key: jobs.idempotencyKey, status: jobs.status }).from(jobs).all();
      expect(rows).toEqual([
        { key: 'test:0', status: 'pending' },
        { key: 'other:0', status: 'pending' },
      ]);
    } finally {
      shared.close();
      rmSync(workspace.dir, { recursive: true, force: true });
    }
  });
});
