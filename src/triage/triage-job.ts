import { eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.ts';
import { preparedOnce } from '../db/prepared.ts';
import { items } from '../db/schema/intake.ts';
import type { JobRecord } from '../jobs/queue.ts';
import type { JobHandler, JobHooks } from '../jobs/worker.ts';
import type { EarlierMedia } from '../matching/earlier-media.ts';
import { type MatchThresholds, readMatchThresholds } from './match-thresholds.ts';
import { inspectUrl, type TriageTools } from './pipeline.ts';
import { storeTriageResult } from './store-triage-result.ts';

/** The job intake enqueues for each new item: payload `{ itemId }`, key `triage:item:<id>`. */
export const triageJobType = 'triage';

/** The item a triage job is about; null for a payload that names none. */
function itemIdOf(job: JobRecord): number | null {
  const itemId = (job.payload as { itemId?: unknown } | null)?.itemId;
  return typeof itemId === 'number' && Number.isInteger(itemId) ? itemId : null;
}

// Prepared once: every claim sets its item's state and every run reads its item's address.
const updateState = preparedOnce((db) =>
  db
    .update(items)
    .set({ state: sql`${sql.placeholder('state')}`, stateReason: sql`${sql.placeholder('stateReason')}` })
    .where(eq(items.id, sql.placeholder('itemId')))
    .prepare(),
);
const itemUrl = preparedOnce((db) =>
  db
    .select({ url: items.url })
    .from(items)
    .where(eq(items.id, sql.placeholder('itemId')))
    .prepare(),
);

function setState(tx: Tx, job: JobRecord, state: 'new' | 'fetching' | 'failed', stateReason: string | null): void {
  const itemId = itemIdOf(job);
  if (itemId !== null) updateState(tx).run({ itemId, state, stateReason });
}

/**
 * What a triage job's moves show on its item. A worker registers them even when it does not
 * fetch (HOTLINE_FETCH=off), so a job it reclaims from a crashed worker leaves `fetching`.
 */
export const triageStateHooks: JobHooks = {
  onClaimed: (tx, job) => setState(tx, job, 'fetching', null),
  onReleased: (tx, job) => setState(tx, job, 'new', null),
  // Waiting for a retry, the item is `new` again and shows why the last attempt failed.
  onFailed: (tx, job, failure) => setState(tx, job, failure.final ? 'failed' : 'new', failure.reason),
};

/** The tools with bank matching at the match distances in force now (the settings change at run time). */
export function withThresholdsInForce(tools: TriageTools, thresholds: MatchThresholds): TriageTools {
  return { ...tools, match: (signals) => tools.match(signals, thresholds) };
}

/**
 * Triage of one item: the slow part (fetching, hashing) runs outside any transaction, within the
 * job's budget; the result is written in the worker's transaction together with the job's completion.
 */
export function triageJobHandler(deps: {
  db: Db;
  tools: TriageTools;
  /** The configured match distances, under the settings an admin stored (read once per item). */
  thresholds: MatchThresholds;
  now: () => number;
  earlierMedia: EarlierMedia;
}): JobHandler {
  return {
    ...triageStateHooks,
    async run(job, signal) {
      const itemId = itemIdOf(job);
      if (itemId === null) throw Object.assign(new Error('bad payload'), { reason: 'bad_payload' });
      const item = itemUrl(deps.db).get({ itemId });
      // Purged since it was reported: nothing left to do.
      if (!item) return () => {};
      const thresholds = readMatchThresholds(deps.db, deps.thresholds);
      const tools = withThresholdsInForce(deps.tools, thresholds);
      const inspection = await inspectUrl(item.url, tools, signal);
      // Rebuilding the duplicate index can take a while: here, not under the write lock.
      deps.earlierMedia.refresh(deps.db);
      return (tx) => {
        storeTriageResult(tx, { itemId, inspection, now: deps.now(), earlierMedia: deps.earlierMedia, thresholds });
      };
    },
  };
}
