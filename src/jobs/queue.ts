import { and, asc, eq, inArray, lt, lte, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../db/client.ts';
import { preparedOnce } from '../db/prepared.ts';
import { jobs } from '../db/schema/jobs.ts';

/**
 * The durable job queue. A job is claimed by one atomic UPDATE that locks it until `lockedUntil`;
 * a worker that dies leaves the lock to expire, and `reclaimExpiredJobs` puts the job back.
 * Every change is guarded by `lockedBy`, so a worker that lost its lock cannot complete a job
 * someone else now holds: its completion is refused and its transaction rolls back.
 */

export interface NewJob {
  type: string;
  payload: unknown;
  /** One job per purpose, e.g. `triage:item:42`. */
  idempotencyKey: string;
  now: number;
  /** When it may first be claimed; now by default. */
  availableAt?: number;
  maxAttempts?: number;
}

/** The job as a handler sees it: what to do and how often it was tried. */
export interface JobRecord {
  id: number;
  type: string;
  payload: unknown;
  /** Including the current attempt. */
  attempts: number;
  maxAttempts: number;
}

export interface ClaimedJob extends JobRecord {
  lockedBy: string;
  lockedUntil: number;
}

export interface Lock {
  jobId: number;
  workerId: string;
  now: number;
}

export const backoffBaseMs = 30_000;
export const backoffCapMs = 3_600_000;

/** Delay before attempt `attempt + 1` after attempt `attempt` failed: 30 s, 1 min, 2 min ... at most 1 h. */
export function backoffMs(attempt: number): number {
  return Math.min(backoffBaseMs * 2 ** Math.max(0, attempt - 1), backoffCapMs);
}

/** Inserts the job unless one with the same idempotency key exists; true when it was inserted. */
export function enqueueJob(tx: Tx, job: NewJob): boolean {
  const inserted = tx
    .insert(jobs)
    .values({
      type: job.type,
      payload: JSON.stringify(job.payload),
      maxAttempts: job.maxAttempts ?? 5,
      availableAt: job.availableAt ?? job.now,
      idempotencyKey: job.idempotencyKey,
      createdAt: job.now,
      updatedAt: job.now,
    })
    .onConflictDoNothing({ target: jobs.idempotencyKey })
    .returning({ id: jobs.id })
    .all();
  return inserted.length > 0;
}

/**
 * Puts a finished or failed job back in the queue, as new: for work worth doing again (an address
 * that was unreachable, reported again). It may be claimed from `availableAt` on (intake passes the
 * random triage delay). A pending or running job is left alone. True when requeued.
 */
export function requeueJob(tx: Tx, idempotencyKey: string, now: number, availableAt = now): boolean {
  const requeued = tx
    .update(jobs)
    .set({
      status: 'pending',
      attempts: 0,
      availableAt,
      lastError: null,
      lockedBy: null,
      lockedUntil: null,
      updatedAt: now,
    })
    .where(and(eq(jobs.idempotencyKey, idempotencyKey), inArray(jobs.status, ['done', 'failed'])))
    .returning({ id: jobs.id })
    .all();
  return requeued.length > 0;
}

/**
 * Claims the oldest available pending job of one of `types` for `workerId`, or returns null.
 * One UPDATE ... WHERE id = (SELECT ...) statement: SQLite runs it under its write lock, so two
 * workers (threads or processes) never claim the same job.
 */
export function claimJob(
  db: DbOrTx,
  claim: { types: readonly string[]; workerId: string; now: number; lockMs: number; excludeIds?: readonly number[] },
): ClaimedJob | null {
  if (claim.types.length === 0) return null;
  const lockedUntil = claim.now + claim.lockMs;
  const row = claimOldest(db).get({
    types: JSON.stringify(claim.types),
    excludeIds: JSON.stringify(claim.excludeIds ?? []),
    workerId: claim.workerId,
    now: claim.now,
    lockedUntil,
  });
  if (!row) return null;
  return { ...toRecord(row), lockedBy: claim.workerId, lockedUntil };
}

/** The lists go in as JSON arrays (json_each), so that one statement serves every length. */
const claimOldest = preparedOnce((db) => {
  const candidate = db
    .select({ id: jobs.id })
    .from(jobs)
    .where(
      and(
        eq(jobs.status, 'pending'),
        lte(jobs.availableAt, sql.placeholder('now')),
        sql`${jobs.type} in (select value from json_each(${sql.placeholder('types')}))`,
        // A job this worker still runs (an overrun taken back by its lock) must not run twice here.
        sql`${jobs.id} not in (select value from json_each(${sql.placeholder('excludeIds')}))`,
      ),
    )
    .orderBy(asc(jobs.availableAt), asc(jobs.id))
    .limit(1);
  // `id = (...)`, not `id in (...)`: with IN, SQLite walks every pending job by the status index.
  return db
    .update(jobs)
    .set({
      status: 'running',
      attempts: sql`${jobs.attempts} + 1`,
      lockedBy: sql`${sql.placeholder('workerId')}`,
      lockedUntil: sql`${sql.placeholder('lockedUntil')}`,
      updatedAt: sql`${sql.placeholder('now')}`,
    })
    .where(and(sql`${jobs.id} = (${candidate})`, eq(jobs.status, 'pending')))
    .returning()
    .prepare();
});

const completeHeld = preparedOnce((db) =>
  db
    .update(jobs)
    .set({
      status: 'done',
      lockedBy: null,
      lockedUntil: null,
      lastError: null,
      updatedAt: sql`${sql.placeholder('now')}`,
    })
    .where(
      and(
        eq(jobs.id, sql.placeholder('jobId')),
        eq(jobs.status, 'running'),
        eq(jobs.lockedBy, sql.placeholder('workerId')),
      ),
    )
    .returning({ id: jobs.id })
    .prepare(),
);

/** Marks a held job done; false when the lock was lost (the caller must roll back its writes). */
export function completeJob(tx: Tx, lock: Lock): boolean {
  return completeHeld(tx).all({ jobId: lock.jobId, workerId: lock.workerId, now: lock.now }).length > 0;
}

export type FailOutcome = { status: 'pending'; availableAt: number } | { status: 'failed' };

/**
 * Records a failed attempt: the job waits `backoffMs(attempts)` and runs again, or, once its
 * attempts are spent, ends `failed`. Null when the lock was lost.
 */
export function failJob(tx: Tx, lock: Lock & { reason: string }): FailOutcome | null {
  const row = tx.select({ attempts: jobs.attempts, maxAttempts: jobs.maxAttempts }).from(jobs).where(held(lock)).get();
  if (!row) return null;
  const outcome = nextAfterFailure(row.attempts, row.maxAttempts, lock.now);
  tx.update(jobs)
    .set({ ...outcomeColumns(outcome), lastError: lock.reason, updatedAt: lock.now })
    .where(held(lock))
    .run();
  return outcome;
}

/** Gives a held job back untouched (shutdown): the attempt does not count. */
export function releaseJob(tx: Tx, lock: Lock): boolean {
  const released = tx
    .update(jobs)
    .set({
      status: 'pending',
      attempts: sql`max(${jobs.attempts} - 1, 0)`,
      availableAt: lock.now,
      lockedBy: null,
      lockedUntil: null,
      updatedAt: lock.now,
    })
    .where(held(lock))
    .returning({ id: jobs.id })
    .all();
  return released.length > 0;
}

/**
 * Keeps long jobs' locks alive, all of one worker's at once (one statement, one commit); returns
 * the ids whose locks were renewed: a missing id lost its lock.
 */
export function extendLocks(
  tx: Tx,
  locks: { jobIds: readonly number[]; workerId: string; now: number; lockMs: number },
): Set<number> {
  if (locks.jobIds.length === 0) return new Set();
  const extended = tx
    .update(jobs)
    .set({ lockedUntil: locks.now + locks.lockMs, updatedAt: locks.now })
    .where(and(inArray(jobs.id, [...locks.jobIds]), eq(jobs.status, 'running'), eq(jobs.lockedBy, locks.workerId)))
    .returning({ id: jobs.id })
    .all();
  return new Set(extended.map((row) => row.id));
}

/**
 * Whether some running job's lock expired before `now`: a read, without the write lock, so that a
 * worker polling an idle queue does not open a write transaction for nothing.
 */
export function hasExpiredJobs(db: DbOrTx, now: number): boolean {
  return firstExpired(db).get({ now }) !== undefined;
}

const firstExpired = preparedOnce((db) =>
  db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.status, 'running'), lt(jobs.lockedUntil, sql.placeholder('now'))))
    .limit(1)
    .prepare(),
);

export interface Reclaimed {
  /** Jobs put back to pending. */
  retried: JobRecord[];
  /** Jobs whose attempts were spent: now `failed` with reason `lock_expired`. */
  exhausted: JobRecord[];
}

/**
 * Takes back running jobs whose lock expired: their worker crashed or hung. The abandoned attempt
 * counts (a job that kills its worker must not loop forever) and the job backs off like a failure.
 */
export function reclaimExpiredJobs(tx: Tx, now: number): Reclaimed {
  const expired = tx
    .select()
    .from(jobs)
    .where(and(eq(jobs.status, 'running'), lt(jobs.lockedUntil, now)))
    .all();
  const reclaimed: Reclaimed = { retried: [], exhausted: [] };
  for (const row of expired) {
    const outcome = nextAfterFailure(row.attempts, row.maxAttempts, now);
    tx.update(jobs)
      .set({ ...outcomeColumns(outcome), lastError: 'lock_expired', updatedAt: now })
      .where(and(eq(jobs.id, row.id), eq(jobs.status, 'running'), lt(jobs.lockedUntil, now)))
      .run();
    (outcome.status === 'failed' ? reclaimed.exhausted : reclaimed.retried).push(toRecord(row));
  }
  return reclaimed;
}

function nextAfterFailure(attempts: number, maxAttempts: number, now: number): FailOutcome {
  return attempts >= maxAttempts ? { status: 'failed' } : { status: 'pending', availableAt: now + backoffMs(attempts) };
}

function outcomeColumns(outcome: FailOutcome) {
  const unlocked = { lockedBy: null, lockedUntil: null };
  return outcome.status === 'failed'
    ? { ...unlocked, status: 'failed' as const }
    : { ...unlocked, status: 'pending' as const, availableAt: outcome.availableAt };
}

function held(lock: Lock) {
  return and(eq(jobs.id, lock.jobId), eq(jobs.status, 'running'), eq(jobs.lockedBy, lock.workerId));
}

function toRecord(row: typeof jobs.$inferSelect): JobRecord {
  return {
    id: row.id,
    type: row.type,
    payload: JSON.parse(row.payload) as unknown,
    attempts: row.attempts,
    maxAttempts: row.maxAttempts,
  };
}
