import type { Tx } from '../db/client.ts';
import { enqueueJob } from './queue.ts';

export const dayMs = 86_400_000;

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A chore run once a day at a fixed time (UTC), e.g. the retention purge or the audit anchor. */
export interface DailyJob {
  type: string;
  /** Milliseconds after midnight UTC when the day's run becomes due. */
  runAtMsIntoDay: number;
}

/**
 * Enqueues the run of the day `day` falls in (idempotent: one job per type and day, ever). Called
 * when a worker starts, and by each day's run for the next day, so the chain survives restarts.
 */
export function scheduleDailyJob(tx: Tx, job: DailyJob, now: number, day = now): void {
  const dayStart = day - (day % dayMs);
  enqueueJob(tx, {
    type: job.type,
    payload: { day: utcDay(day) },
    idempotencyKey: `${job.type.replace('.', ':')}:${utcDay(day)}`,
    now,
    availableAt: Math.max(now, dayStart + job.runAtMsIntoDay),
  });
}
