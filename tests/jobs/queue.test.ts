import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/client.ts';
import { jobs } from '../../src/db/schema/jobs.ts';
import {
  backoffMs,
  claimJob,
  completeJob,
  enqueueJob,
  extendLocks,
  failJob,
  hasExpiredJobs,
  reclaimExpiredJobs,
  releaseJob,
  requeueJob,
} from '../../src/jobs/queue.ts';
import { createTestDatabase } from '../support/db.ts';
import { createWorkspace } from '../support/worker-process.ts';

const claimLoop = fileURLToPath(new URL('../support/claim-loop.ts', import.meta.url));

const t0 = 1_700_000_000_000;
const lockMs = 60_000;
let handle: DatabaseHandle;

beforeEach(() => {
  handle = createTestDatabase();
});
afterEach(() => handle.close());

function enqueue(key: string, options: { now?: number; maxAttempts?: number; type?: string } = {}): boolean {
  return handle.db.transaction((tx) =>
    enqueueJob(tx, {
      type: options.type ?? 'triage',
      payload: { key },
      idempotencyKey: key,
      now: options.now ?? t0,
      ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
    }),
  );
}

const claim = (workerId: string, now = t0, types = ['triage']) => claimJob(handle.db, { types, workerId, now, lockMs });

const row = (id: number) => handle.db.select().from(jobs).where(eq(jobs.id, id)).get();

describe('enqueueJob', () => {
  it('inserts once per idempotency key', () => {
    expect(enqueue('triage:item:1')).toBe(true);
    expect(enqueue('triage:item:1')).toBe(false);
    expect(enqueue('triage:item:2')).toBe(true);
    expect(handle.db.select().from(jobs).all()).toHaveLength(2);
  });

  it('stores the payload as JSON and the job as pending now', () => {
    enqueue('triage:item:7', { maxAttempts: 3 });
    const job = handle.db.select().from(jobs).get();
    expect(job).toMatchObject({ status: 'pending', attempts: 0, maxAttempts: 3, availableAt: t0 });
    expect(JSON.parse(job?.payload ?? '')).toEqual({ key: 'triage:item:7' });
  });
});

describe('claimJob', () => {
  it('gives each job to one worker only and locks it', () => {
    enqueue('a');
    enqueue('b');
    const first = claim('w1');
    const second = claim('w2');
    expect(claim('w3')).toBeNull();
    expect(first?.id).not.toBe(second?.id);
    expect(first).toMatchObject({ attempts: 1, lockedBy: 'w1', lockedUntil: t0 + lockMs, payload: { key: 'a' } });
    expect(row(first?.id ?? 0)).toMatchObject({ status: 'running', lockedBy: 'w1' });
  });

  it('never gives one job to two racing processes', async () => {
    const workspace = createWorkspace('hotline-claim-race-');
    const racers = 4;
    const jobCount = 1000;
    try {
      const shared = workspace.open();
      shared.db.transaction((tx) => {
        for (let i = 0; i < jobCount; i++)
          enqueueJob(tx, { type: 'race', payload: i, idempotencyKey: `race:${i}`, now: 0 });
      });
      shared.close();
      const claimedBy = await Promise.all(
        Array.from(
          { length: racers },
          (_, i) =>
            new Promise<number[]>((resolve, reject) => {
              execFile(
                process.execPath,
                ['--import', 'tsx', claimLoop, workspace.dbPath, `racer-${i}`],
                (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout) as number[])),
              );
            }),
        ),
      );
      const all = claimedBy.flat();
      expect(all).toHaveLength(jobCount);
      expect(new Set(all).size).toBe(jobCount);
    } finally {
      rmSync(workspace.dir, { recursive: true, force: true });
    }
  });

  it('takes only the types asked for, only when available, oldest first', () => {
    enqueue('later', { now: t0 + 10_000 });
    enqueue('other-type', { type: 'export' });
    enqueue('first', { now: t0 - 5_000 });
    expect(claim('w', t0)?.payload).toEqual({ key: 'first' });
    expect(claim('w', t0)).toBeNull();
    expect(claim('w', t0 + 10_000)?.payload).toEqual({ key: 'later' });
    expect(claim('w', t0, [])).toBeNull();
  });
});

describe('completing, failing, releasing', () => {
  it('completes a held job; a worker without the lock cannot complete it', () => {
    enqueue('a');
    const job = claim('w1');
    const id = job?.id ?? 0;
    expect(handle.db.transaction((tx) => completeJob(tx, { jobId: id, workerId: 'intruder', now: t0 }))).toBe(false);
    expect(handle.db.transaction((tx) => completeJob(tx, { jobId: id, workerId: 'w1', now: t0 }))).toBe(true);
    expect(row(id)).toMatchObject({ status: 'done', lockedBy: null, lockedUntil: null });
    expect(handle.db.transaction((tx) => completeJob(tx, { jobId: id, workerId: 'w1', now: t0 }))).toBe(false);
  });

  it('backs off exponentially and ends failed after maxAttempts', () => {
    enqueue('a', { maxAttempts: 3 });
    let now = t0;
    const seenDelays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect(claim('w', now - 1)).toBeNull();
      const job = claim('w', now);
      expect(job?.attempts).toBe(attempt);
      const outcome = handle.db.transaction((tx) =>
        failJob(tx, { jobId: job?.id ?? 0, workerId: 'w', now, reason: 'boom' }),
      );
      if (attempt < 3) {
        expect(outcome?.status).toBe('pending');
        const next = outcome?.status === 'pending' ? outcome.availableAt : 0;
        seenDelays.push(next - now);
        now = next;
      } else {
        expect(outcome).toEqual({ status: 'failed' });
      }
    }
    expect(seenDelays).toEqual([backoffMs(1), backoffMs(2)]);
    expect(seenDelays[1]).toBe(2 * (seenDelays[0] ?? 0));
    expect(row(1)).toMatchObject({ status: 'failed', attempts: 3, lastError: 'boom' });
    expect(claim('w', now + 10 * 3_600_000)).toBeNull();
  });

  it('caps the backoff', () => {
    expect(backoffMs(40)).toBe(backoffMs(41));
    expect(backoffMs(3)).toBeGreaterThan(backoffMs(2));
  });

  it('release hands the job back without counting the attempt', () => {
    enqueue('a');
    const job = claim('w1');
    const id = job?.id ?? 0;
    expect(handle.db.transaction((tx) => releaseJob(tx, { jobId: id, workerId: 'w1', now: t0 + 5 }))).toBe(true);
    expect(row(id)).toMatchObject({ status: 'pending', attempts: 0, lockedBy: null, availableAt: t0 + 5 });
    expect(claim('w2', t0 + 5)?.id).toBe(id);
  });
});

describe('requeueJob', () => {
  it('puts a finished job back as new, claimable only from the time it is given', () => {
    enqueue('a');
    const id = claim('w')?.id ?? 0;
    handle.db.transaction((tx) => completeJob(tx, { jobId: id, workerId: 'w', now: t0 }));
    const later = t0 + 90_000;
    expect(handle.db.transaction((tx) => requeueJob(tx, 'a', t0 + 1_000, later))).toBe(true);
    expect(row(id)).toMatchObject({ status: 'pending', attempts: 0, lockedBy: null, availableAt: later });
    expect(claim('w', later - 1)).toBeNull();
    expect(claim('w', later)?.id).toBe(id);
  });

  it('leaves a pending or running job alone', () => {
    enqueue('a');
    expect(handle.db.transaction((tx) => requeueJob(tx, 'a', t0, t0 + 5))).toBe(false);
    claim('w');
    expect(handle.db.transaction((tx) => requeueJob(tx, 'a', t0, t0 + 5))).toBe(false);
    expect(row(1)).toMatchObject({ status: 'running', availableAt: t0 });
  });
});

describe('reclaimExpiredJobs', () => {
  it('leaves live locks alone and takes back expired ones', () => {
    enqueue('a');
    const job = claim('crashed');
    const id = job?.id ?? 0;
    expect(handle.db.transaction((tx) => reclaimExpiredJobs(tx, t0 + lockMs))).toEqual({ retried: [], exhausted: [] });
    const reclaimed = handle.db.transaction((tx) => reclaimExpiredJobs(tx, t0 + lockMs + 1));
    expect(reclaimed.retried.map((j) => j.id)).toEqual([id]);
    expect(row(id)).toMatchObject({ status: 'pending', lockedBy: null, lastError: 'lock_expired', attempts: 1 });
    // The crashed worker wakes up: its result is refused.
    expect(handle.db.transaction((tx) => completeJob(tx, { jobId: id, workerId: 'crashed', now: t0 }))).toBe(false);
  });

  it('a renewed lock is not reclaimed', () => {
    enqueue('a');
    const id = claim('w')?.id ?? 0;
    const extend = (workerId: string, now: number) =>
      handle.db.transaction((tx) => extendLocks(tx, { jobIds: [id, id + 1], workerId, now, lockMs }));
    expect(extend('w', t0 + 50_000)).toEqual(new Set([id]));
    expect(hasExpiredJobs(handle.db, t0 + lockMs + 1)).toBe(false);
    expect(handle.db.transaction((tx) => reclaimExpiredJobs(tx, t0 + lockMs + 1)).retried).toEqual([]);
    expect(hasExpiredJobs(handle.db, t0 + 50_000 + lockMs + 1)).toBe(true);
    expect(extend('other', t0)).toEqual(new Set());
  });

  it('fails a job that keeps killing its worker', () => {
    enqueue('poison', { maxAttempts: 2 });
    let now = t0;
    for (let i = 0; i < 2; i++) {
      expect(claim('w', now)).not.toBeNull();
      now += lockMs + 1;
      const reclaimed = handle.db.transaction((tx) => reclaimExpiredJobs(tx, now));
      if (i === 0) now += backoffMs(1);
      else expect(reclaimed.exhausted.map((j) => j.payload)).toEqual([{ key: 'poison' }]);
    }
    expect(row(1)).toMatchObject({ status: 'failed', attempts: 2, lastError: 'lock_expired' });
  });
});
