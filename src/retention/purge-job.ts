import type { Config } from '../config.ts';
import type { Db, Tx } from '../db/client.ts';
import { type DailyJob, dayMs, scheduleDailyJob } from '../jobs/daily.ts';
import type { JobHandler } from '../jobs/worker.ts';
import { purgeExpiredReports } from './purge.ts';

export const purgeJobType = 'retention.purge';

/** Runs at 03:00 UTC, out of working hours. */
const dailyPurge: DailyJob = { type: purgeJobType, runAtMsIntoDay: 3 * 3_600_000 };

/** Enqueues the purge of the day `day` falls in (one job per day; see scheduleDailyJob). */
export const scheduleDailyPurge = (tx: Tx, now: number, day = now): void => scheduleDailyJob(tx, dailyPurge, now, day);

/**
 * The daily purge: reports closed longer than the retention period ago lose their personal fields.
 * It is `hotline purge --apply` (purgeExpiredReports: the purge and its audit event in one
 * transaction, then the write-ahead log checkpointed and truncated so the old content is in
 * neither file), run before the job's own commit. A crash in between runs it again, which finds
 * nothing left to purge: purged reports are not selected again.
 */
export function purgeJobHandler(deps: {
  db: Db;
  config: Pick<Config, 'hashKey' | 'retentionDays'>;
  now: () => number;
}): JobHandler {
  return {
    // A day whose purge failed for good still schedules the next one: the chain never breaks.
    onFailed(tx, _job, failure) {
      if (failure.final) scheduleDailyPurge(tx, deps.now(), deps.now() + dayMs);
    },
    async run() {
      const now = deps.now();
      purgeExpiredReports(deps.db, deps.config, { now, apply: true });
      return (tx) => scheduleDailyPurge(tx, now, now + dayMs);
    },
  };
}
