import type { Config } from '../config.ts';
import type { Tx } from '../db/client.ts';
import { type DailyJob, dayMs, scheduleDailyJob } from '../jobs/daily.ts';
import type { JobHandler } from '../jobs/worker.ts';
import { purgeInTransaction } from './purge.ts';

export const purgeJobType = 'retention.purge';

/** Runs at 03:00 UTC, out of working hours. */
const dailyPurge: DailyJob = { type: purgeJobType, runAtMsIntoDay: 3 * 3_600_000 };

/** Enqueues the purge of the day `day` falls in (one job per day; see scheduleDailyJob). */
export const scheduleDailyPurge = (tx: Tx, now: number, day = now): void => scheduleDailyJob(tx, dailyPurge, now, day);

/** The daily purge: reports closed longer than the retention period ago lose their personal fields. */
export function purgeJobHandler(deps: {
  config: Pick<Config, 'hashKey' | 'retentionDays'>;
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
