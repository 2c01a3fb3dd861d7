import { formatAnchor, readChainHead } from '../audit/anchor.ts';
import type { AuditAnchorTarget } from '../config.ts';
import type { Db, Tx } from '../db/client.ts';
import { type DailyJob, dayMs, scheduleDailyJob } from '../jobs/daily.ts';
import type { JobHandler } from '../jobs/worker.ts';
import { writeAnchor } from './write-anchor.ts';

export const anchorJobType = 'audit.anchor';

/** Just after midnight UTC: each anchor closes a day of the trail. */
const dailyAnchor: DailyJob = { type: anchorJobType, runAtMsIntoDay: 5 * 60_000 };

/** Enqueues the anchor of the day `day` falls in (one job per day; see scheduleDailyJob). */
export const scheduleDailyAnchor = (tx: Tx, now: number, day = now): void =>
  scheduleDailyJob(tx, dailyAnchor, now, day);

/**
 * The daily anchor: the audit chain's head (seq, hash, time) written outside the database, where
 * `hotline audit verify --anchors` later checks it. An empty chain has nothing to anchor, and
 * without a target (HOTLINE_AUDIT_ANCHOR unset) the job only keeps its daily chain going, so setting
 * the variable later needs nothing else and no job is left waiting for a handler. A write that fails
 * is retried by the queue; a day that fails for good still schedules the next one.
 */
export function anchorJobHandler(deps: {
  db: Db;
  target: AuditAnchorTarget | undefined;
  now: () => number;
}): JobHandler {
  return {
    onFailed(tx, _job, failure) {
      if (failure.final) scheduleDailyAnchor(tx, deps.now(), deps.now() + dayMs);
    },
    async run(_job, signal) {
      const head = readChainHead(deps.db);
      if (head && deps.target) await writeAnchor(deps.target, formatAnchor(head, deps.now()), signal);
      return (tx) => scheduleDailyAnchor(tx, deps.now(), deps.now() + dayMs);
    },
  };
}
