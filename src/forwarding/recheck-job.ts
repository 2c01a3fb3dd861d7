import { eq } from 'drizzle-orm';
import type { Config } from '../config.ts';
import type { Db, Tx } from '../db/client.ts';
import { items } from '../db/schema/intake.ts';
import { enqueueJob, type JobRecord } from '../jobs/queue.ts';
import type { JobHandler } from '../jobs/worker.ts';
import { inspectUrl, type TriageTools } from '../triage/pipeline.ts';
import { isFollowed, queueDueRechecks, recordedMedia, recordRecheck } from './recheck.ts';
import { mediaToRefetch, refetchMedia } from './recheck-media.ts';
import { observeRecheck } from './recheck-verdict.ts';

export const recheckSweepJobType = 'forwarding.recheck-sweep';

const hourMs = 3_600_000;
const utcHour = (ms: number) => new Date(ms).toISOString().slice(0, 13);

/**
 * Enqueues the sweep of the hour `hour` falls in (one job per hour, ever). Called when the worker
 * starts, and by each sweep for the next hour, so the chain survives restarts (as the daily purge).
 */
export function scheduleRecheckSweep(tx: Tx, now: number, hour = now): void {
  enqueueJob(tx, {
    type: recheckSweepJobType,
    payload: { hour: utcHour(hour) },
    idempotencyKey: `forwarding:recheck-sweep:${utcHour(hour)}`,
    now,
    availableAt: Math.max(now, hour - (hour % hourMs)),
  });
}

export interface RecheckDeps {
  db: Db;
  config: Pick<Config, 'hashKey' | 'forwarding'>;
  tools: TriageTools;
  now: () => number;
  /** 0 to 1; jitters the next re-check. */
  random: () => number;
}

/** The hourly sweep: queues the re-checks that are due, then the next sweep. */
export function recheckSweepHandler(deps: Pick<RecheckDeps, 'now' | 'random'>): JobHandler {
  return {
    // A sweep that failed for good still schedules the next: the chain never breaks.
    onFailed(tx, _job, failure) {
      if (failure.final) scheduleRecheckSweep(tx, deps.now(), deps.now() + hourMs);
    },
    async run() {
      return (tx) => {
        const now = deps.now();
        queueDueRechecks(tx, now, deps.random);
        scheduleRecheckSweep(tx, now, now + hourMs);
      };
    },
  };
}

function itemIdOf(job: JobRecord): number {
  const itemId = (job.payload as { itemId?: unknown } | null)?.itemId;
  if (typeof itemId === 'number' && Number.isInteger(itemId)) return itemId;
  throw Object.assign(new Error('bad payload'), { reason: 'bad_payload' });
}

/**
 * One re-check: the item is re-fetched and hashed as triage does (memory only, bytes dropped),
 * then the recorded media it no longer leads to at their own addresses, outside any transaction; what it means is written with the job's completion.
 */
export function recheckJobHandler(deps: RecheckDeps): JobHandler {
  return {
    async run(job, signal) {
      const itemId = itemIdOf(job);
      const item = deps.db.select({ url: items.url }).from(items).where(eq(items.id, itemId)).get();
      // Gone from the database, or no forward left to follow: nothing to fetch.
      if (!item || !isFollowed(deps.db, itemId, deps.now())) return () => {};
      const inspection = await inspectUrl(item.url, deps.tools, signal);
      const recorded = recordedMedia(deps.db, itemId);
      const refetched = await refetchMedia(mediaToRefetch(inspection, recorded), deps.tools, signal);
      const recordedSha256 = recorded.map((m) => m.sha256);
      const observation = observeRecheck(inspection, recordedSha256, refetched);
      return (tx) => {
        recordRecheck(tx, deps.config, { itemId, observation, random: deps.random() }, deps.now());
      };
    },
  };
}
