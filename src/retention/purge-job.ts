import type { Config } from '../config.ts';
import type { Tx } from '../db/client.ts';
import { enqueueJob } from '../jobs/queue.ts';
import type { JobHandler } from '../jobs/worker.ts';
import { purgeInTransaction } from './purge.ts';

export const purgeJobType = 'retention.purge';

const dayMs = 86_400_000;
/** Runs at 03:00 UTC, out of working hours. */
const runAtMsIntoDay = 3 * 3_600_000;

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Enqueues the purge of the day `day` falls in (idempotent: one job per day, ever). Called when
 * the worker starts, and by each day's job for the next day, so the chain survives restarts.
 */
export function scheduleDailyPurge(tx: Tx, now: number, day = now): void {
  const dayStart = day - (day % dayMs);
  enqueueJob(tx, {
    type: purgeJobType,
    payload: { day: utcDay(day) },
    idempotencyKey: `retention:purge:${utcDay(day)}`,
    now,
    availableAt: Math.max(now, dayStart + runAtMsIntoDay),
  });
}

/** The daily purge: reports closed longer than the retention period ago lose their personal fields. */
export function purgeJobHandler(deps: {
  config: Pick<Config, 'secretKey' | 'retentionDays'>;
  now: () => number;
}): JobHandler {
  return {
    // A day whose purge failed for good still schedules the next one: the chain never breaks.
    onFailed(tx, _job, failure) {
      if (failure.final) scheduleDailyPurge(tx, deps.now(), deps.now() + dayMs);
    },
    async run() {
      return (tx) => {
        const now = deps.now();
        purgeInTransaction(tx, deps.config, now);
        scheduleDailyPurge(tx, now, now + dayMs);
      };
    },
  };
}
