import { anchorJobHandler, anchorJobType, scheduleDailyAnchor } from '../anchoring/anchor-job.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { type Channels, createChannels } from '../forwarding/channels/channels.ts';
import { deliveryJobHandler, deliveryJobType, resumeStrandedDeliveries } from '../forwarding/delivery/delivery-job.ts';
import { reminderJobHandler, reminderJobType } from '../forwarding/delivery/reminder-job.ts';
import { createWorker, type Worker } from '../jobs/worker.ts';
import type { SigningKey } from '../key-files.ts';
import type { Logger } from '../logger.ts';
import { triageJobType, triageStateHooks } from '../triage/triage-job.ts';
import { purgeJobHandler, purgeJobType, scheduleDailyPurge } from './purge-job.ts';

/**
 * A worker of its own for the chores beside triage (the retention purge, the audit anchor, the
 * delivery of forwards and their reminders): it claims only its own job types, so triage's queue
 * and its figures are left alone. Schedules today's chores and resumes stranded deliveries; the
 * caller starts it.
 */
export function createHousekeepingWorker(deps: {
  config: Config;
  db: Db;
  logger: Logger;
  now: () => number;
  signingKey: SigningKey;
  /** Tests inject channels (a failing one); by default the configured ones. */
  channels?: Channels;
}): Worker {
  const { config, db, logger, now } = deps;
  db.transaction((tx) => {
    scheduleDailyPurge(tx, now());
    scheduleDailyAnchor(tx, now());
    resumeStrandedDeliveries(tx, now());
  });
  const channels = deps.channels ?? createChannels({ config, signingKey: deps.signingKey });
  return createWorker({
    db,
    logger,
    now,
    handlers: {
      [purgeJobType]: purgeJobHandler({ db, config, now }),
      [anchorJobType]: anchorJobHandler({ db, target: config.auditAnchor, now }),
      [deliveryJobType]: deliveryJobHandler({ config, db, now, channels }),
      [reminderJobType]: reminderJobHandler({ config, db, now, channels }),
    },
    // Every worker takes back any crashed worker's jobs: triage's hooks keep its items' state true.
    hooks: { [triageJobType]: triageStateHooks },
    concurrency: 1,
    pollMs: 60_000,
  });
}
