import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { type CommitDurability, type Db, type Tx, writeTransaction } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import { BatchedCommits } from './batched-commits.ts';
import {
  type ClaimedJob,
  claimJob,
  completeJob,
  extendLocks,
  failJob,
  hasExpiredJobs,
  type JobRecord,
  type Lock,
  reclaimExpiredJobs,
  releaseJob,
} from './queue.ts';

/** What the state a job type shows elsewhere (e.g. its item's) does as the job moves. */
export interface JobHooks {
  /** In the claim's transaction, e.g. to show the item as being fetched. */
  onClaimed?(tx: Tx, job: JobRecord): void;
  /** The job was handed back at shutdown and will run again. */
  onReleased?(tx: Tx, job: JobRecord): void;
  /** An attempt failed; `final` when the job ends `failed` and will not run again. */
  onFailed?(tx: Tx, job: JobRecord, failure: { reason: string; final: boolean }): void;
}

/**
 * What a job type does. `run` does the slow async work and returns the synchronous write of its
 * result; the worker runs that write and the job's completion in one transaction, so a result is
 * stored exactly when its job is marked done. `signal` aborts when the job's budget is spent or
 * the job is released at shutdown: `run` should then wrap up with what it has.
 */
export interface JobHandler extends JobHooks {
  run(job: ClaimedJob, signal: AbortSignal): Promise<(tx: Tx) => void>;
}

export interface WorkerOptions {
  db: Db;
  logger: Logger;
  now: () => number;
  handlers: Record<string, JobHandler>;
  /**
   * Hooks of job types this worker does not run: a crashed worker's job of such a type is still
   * reclaimed here, and its hooks keep the state it shows true (e.g. not `fetching` forever).
   */
  hooks?: Record<string, JobHooks>;
  concurrency: number;
  /** Time a job may run; then its signal aborts and its lock is no longer renewed. */
  budgetMs?: number;
  workerId?: string;
  /** How long a claim holds before another worker may take the job back. */
  lockMs?: number;
  /** Pause between looks at an empty queue. */
  pollMs?: number;
  /**
   * How far the commits that end jobs (with their results and the next claims) are synced; see
   * BatchOptions.durability. Failures, releases and reclaims always commit `full`. Default `full`.
   */
  completionDurability?: CommitDurability;
}

export interface Worker {
  readonly workerId: string;
  /** Starts polling; jobs run `concurrency` at a time. */
  start(): void;
  /**
   * Stops claiming, waits up to `graceMs` for running jobs, then releases the rest (their late
   * results are refused because the lock is gone).
   */
  stop(graceMs?: number): Promise<void>;
  /** Runs jobs until none is available and none is running; returns how many were taken. For CLI and tests. */
  drain(): Promise<number>;
  /** When the polling loop last ran (its heartbeat), null before it first ran and once stopped. */
  lastPolledAt(): number | null;
}

/** A job's error reason: a stable id, never a message (messages can quote addresses). */
export function failureReason(error: unknown): string {
  const reason = (error as { reason?: unknown } | null)?.reason;
  if (typeof reason === 'string' && /^[a-z0-9_:.-]{1,64}$/i.test(reason)) return reason;
  return error instanceof Error ? `error:${error.name}`.slice(0, 64) : 'error:unknown';
}

interface RunningJob {
  job: ClaimedJob;
  done: Promise<void>;
  budget: AbortController;
  /** As this worker last wrote it: renewal is due once a heartbeat of it has passed. */
  lockedUntil: number;
}

class LockLost extends Error {
  override readonly name = 'LockLost';
}

export function createWorker(options: WorkerOptions): Worker {
  const { db, now, handlers, concurrency } = options;
  const logger = options.logger.child({ domain: 'worker' });
  const workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const lockMs = options.lockMs ?? 60_000;
  const pollMs = options.pollMs ?? 500;
  // Three renewals per lock period: one late heartbeat does not lose a lock.
  const heartbeatMs = Math.max(1, Math.floor(lockMs / 3));
  const types = Object.keys(handlers);
  const running = new Map<number, RunningJob>();
  /** Jobs handed back at shutdown: whatever they still produce is dropped. */
  const released = new Set<number>();
  let started = false;
  let stopping = false;
  /** Jobs claimed since creation: drain() reports its share. */
  let claimedCount = 0;
  let pollTimer: NodeJS.Timeout | undefined;
  let lastPoll: number | null = null;
  let heartbeat: NodeJS.Timeout | undefined;

  const handlerOf = (job: JobRecord) => handlers[job.type] as JobHandler;
  const hooksOf = (job: JobRecord): JobHooks | undefined => handlers[job.type] ?? options.hooks?.[job.type];
  const lockOf = (job: JobRecord): Lock => ({ jobId: job.id, workerId, now: now() });

  function reclaim(): void {
    // Most polls find nothing expired: then no write transaction (and no commit) at all.
    if (!hasExpiredJobs(db, now())) return;
    const { retried, exhausted } = writeTransaction(db, (tx) => {
      const result = reclaimExpiredJobs(tx, now());
      for (const job of result.retried) hooksOf(job)?.onFailed?.(tx, job, { reason: 'lock_expired', final: false });
      for (const job of result.exhausted) hooksOf(job)?.onFailed?.(tx, job, { reason: 'lock_expired', final: true });
      return result;
    });
    for (const job of [...retried, ...exhausted]) {
      logger.warn({ event: 'job_reclaimed', jobId: job.id, jobType: job.type, attempt: job.attempts }, 'lock expired');
    }
  }

  /** Claims up to `count` jobs in the caller's transaction; start them once it has committed. */
  function claimIn(tx: Tx, count: number): ClaimedJob[] {
    const claimed: ClaimedJob[] = [];
    while (claimed.length < count) {
      const excludeIds = [...running.keys(), ...claimed.map((job) => job.id)];
      const job = claimJob(tx, { types, workerId, now: now(), lockMs, excludeIds });
      if (!job) break;
      handlerOf(job).onClaimed?.(tx, job);
      claimed.push(job);
    }
    return claimed;
  }

  // The jobs that end together commit together, and their slots are refilled in that same
  // transaction: about one commit per batch of jobs instead of two per job.
  const commits = new BatchedCommits(db, {
    durability: options.completionDurability ?? 'full',
    last: (tx, ended) => {
      if (stopping) return () => {};
      let claimed: ClaimedJob[] = [];
      try {
        tx.transaction((savepoint) => {
          claimed = claimIn(savepoint, concurrency - running.size + ended);
        });
      } catch (error) {
        logger.error({ event: 'worker_claim_failed', err: error }, 'claim failed');
      }
      return () => {
        for (const job of claimed) startJob(job);
      };
    },
  });

  async function execute(job: ClaimedJob, signal: AbortSignal): Promise<void> {
    let write: (tx: Tx) => void;
    try {
      write = await handlerOf(job).run(job, signal);
    } catch (error) {
      if (!released.has(job.id)) recordFailure(job, failureReason(error), error);
      return;
    }
    if (released.has(job.id)) return;
    const outcome = await commits.commit((tx) => {
      if (!completeJob(tx, lockOf(job))) throw new LockLost();
      write(tx);
    });
    if (outcome.ok) {
      logger.info({ event: 'job_done', jobId: job.id, jobType: job.type, attempt: job.attempts }, 'job done');
    } else if (outcome.error instanceof LockLost) {
      logger.warn({ event: 'job_lock_lost', jobId: job.id, jobType: job.type }, 'result dropped: lock lost');
    } else {
      recordFailure(job, failureReason(outcome.error), outcome.error);
    }
  }

  function recordFailure(job: ClaimedJob, reason: string, error: unknown): void {
    const outcome = writeTransaction(db, (tx) => {
      const result = failJob(tx, { ...lockOf(job), reason });
      if (result) handlerOf(job).onFailed?.(tx, job, { reason, final: result.status === 'failed' });
      return result;
    });
    logger.warn(
      {
        event: 'job_failed',
        jobId: job.id,
        jobType: job.type,
        attempt: job.attempts,
        reason,
        state: outcome?.status ?? 'lock_lost',
        err: error,
      },
      'job attempt failed',
    );
  }

  /** Claims jobs into free slots, in one transaction; returns how many were claimed. */
  function fill(): number {
    const free = concurrency - running.size;
    if (stopping || free <= 0) return 0;
    const claimed = writeTransaction(db, (tx) => claimIn(tx, free));
    for (const job of claimed) startJob(job);
    return claimed.length;
  }

  function startJob(job: ClaimedJob): void {
    claimedCount += 1;
    const budget = new AbortController();
    const budgetTimer = options.budgetMs === undefined ? undefined : setTimeout(() => budget.abort(), options.budgetMs);
    const entry: RunningJob = { job, budget, done: Promise.resolve(), lockedUntil: job.lockedUntil };
    entry.done = execute(job, budget.signal)
      .catch((error: unknown) => logger.error({ event: 'job_crashed', jobId: job.id, err: error }, 'job crashed'))
      .finally(() => {
        clearTimeout(budgetTimer);
        // Only this run's entry: the id may have been taken back and run again here since.
        if (running.get(job.id) === entry) running.delete(job.id);
        if (started) schedule(0);
      });
    running.set(job.id, entry);
  }

  function tick(): void {
    pollTimer = undefined;
    lastPoll = now();
    try {
      // Our own jobs first: a worker whose heartbeat was late must not reclaim what it still runs.
      renewLocks();
      reclaim();
      fill();
    } catch (error) {
      logger.error({ event: 'worker_poll_failed', err: error }, 'poll failed');
    }
    schedule(pollMs);
  }

  function schedule(delay: number): void {
    if (stopping) return;
    if (pollTimer !== undefined) clearTimeout(pollTimer);
    pollTimer = setTimeout(tick, delay);
  }

  /**
   * Renews the locks that are due (a heartbeat since they were last set), all in one transaction:
   * a poll right after a claim or a completion costs no write.
   */
  function renewLocks(): void {
    const at = now();
    const due = [...running.values()].filter(
      // A job past its budget that does not end must not hold its lock forever: let it expire.
      (entry) => !entry.budget.signal.aborted && entry.lockedUntil - at <= lockMs - heartbeatMs,
    );
    if (due.length === 0) return;
    try {
      const jobIds = due.map((entry) => entry.job.id);
      const renewed = writeTransaction(db, (tx) => extendLocks(tx, { jobIds, workerId, now: at, lockMs }));
      for (const entry of due) if (renewed.has(entry.job.id)) entry.lockedUntil = at + lockMs;
    } catch (error) {
      logger.error({ event: 'lock_renew_failed', count: due.length, err: error }, 'lock renewal failed');
    }
  }

  return {
    workerId,
    start() {
      if (started) return;
      started = true;
      stopping = false;
      heartbeat = setInterval(renewLocks, heartbeatMs);
      schedule(0);
    },
    async stop(graceMs = 10_000) {
      stopping = true;
      started = false;
      lastPoll = null;
      clearTimeout(pollTimer);
      pollTimer = undefined;
      let graceTimer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<void>((resolve) => {
        graceTimer = setTimeout(resolve, graceMs);
      });
      await Promise.race([Promise.allSettled([...running.values()].map((r) => r.done)), graceOver]);
      clearTimeout(graceTimer);
      clearInterval(heartbeat);
      heartbeat = undefined;
      for (const { job, budget } of running.values()) {
        released.add(job.id);
        budget.abort();
        writeTransaction(db, (tx) => {
          if (releaseJob(tx, lockOf(job))) handlerOf(job).onReleased?.(tx, job);
        });
        logger.info({ event: 'job_released', jobId: job.id, jobType: job.type }, 'job released at shutdown');
      }
    },
    lastPolledAt: () => lastPoll,
    async drain() {
      const ownHeartbeat = heartbeat ? undefined : setInterval(renewLocks, heartbeatMs);
      const claimedBefore = claimedCount;
      try {
        for (;;) {
          renewLocks();
          reclaim();
          fill();
          if (running.size === 0) return claimedCount - claimedBefore;
          await Promise.race([...running.values()].map((r) => r.done));
        }
      } finally {
        clearInterval(ownHeartbeat);
      }
    },
  };
}
