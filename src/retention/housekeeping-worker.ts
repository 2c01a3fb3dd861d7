import { anchorJobHandler, anchorJobType, scheduleDailyAnchor } from '../anchoring/anchor-job.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { createWorker, type Worker } from '../jobs/worker.ts';
import type { Logger } from '../logger.ts';
import { triageJobType, triageStateHooks } from '../triage/triage-job.ts';
import { purgeJobHandler, purgeJobType, scheduleDailyPurge } from './purge-job.ts';

/**
 * A worker of its own for the daily chores (the retention purge, the audit anchor), beside the
 * triage worker: it claims only its own job types, so triage's queue and its figures are left
 * alone. Schedules today's chores; the caller starts it.
 */
export function createHousekeepingWorker(deps: { config: Config; db: Db; logger: Logger; now: () => number }): Worker {
  const { config, db, logger, now } = deps;
  db.transaction((tx) => {
    scheduleDailyPurge(tx, now());
    scheduleDailyAnchor(tx, now());
  });
  return createWorker({
    db,
    logger,
    now,
    handlers: {
      [purgeJobType]: purgeJobHandler({ config, now }),
      [anchorJobType]: anchorJobHandler({ db, target: config.auditAnchor, now }),
    },
    // Every worker takes back any crashed worker's jobs: triage's hooks keep its items' state true.
    hooks: { [triageJobType]: triageStateHooks },
    concurrency: 1,
    pollMs: 60_000,
  });
}
