import { eq } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.ts';
import { items } from '../db/schema/intake.ts';
import type { JobRecord } from './jobs.ts';
import { inspectUrl, type TriageTools } from './pipeline.ts';
import { storeTriageResult } from './store-triage-result.ts';
import type { JobHandler } from './worker.ts';

/** The job intake enqueues for each new item: payload `{ itemId }`, key `triage:item:<id>`. */
export const triageJobType = 'triage';

function itemIdOf(job: JobRecord): number {
  const itemId = (job.payload as { itemId?: unknown } | null)?.itemId;
  if (typeof itemId !== 'number' || !Number.isInteger(itemId))
    throw Object.assign(new Error('bad payload'), { reason: 'bad_payload' });
  return itemId;
}

function setState(tx: Tx, job: JobRecord, state: 'new' | 'fetching' | 'failed', stateReason: string | null): void {
  const itemId = (job.payload as { itemId?: unknown } | null)?.itemId;
  if (typeof itemId === 'number') tx.update(items).set({ state, stateReason }).where(eq(items.id, itemId)).run();
}

/**
 * Triage of one item: the slow part (fetching, hashing) runs outside any transaction; the result
 * is written in the worker's transaction together with the job's completion.
 */
export function triageJobHandler(deps: { db: Db; tools: TriageTools; now: () => number }): JobHandler {
  return {
    onClaimed: (tx, job) => setState(tx, job, 'fetching', null),
    async run(job) {
      const itemId = itemIdOf(job);
      const item = deps.db.select({ url: items.url }).from(items).where(eq(items.id, itemId)).get();
      // Purged since it was reported: nothing left to do.
      if (!item) return () => {};
      const inspection = await inspectUrl(item.url, deps.tools);
      return (tx) => {
        storeTriageResult(tx, { itemId, inspection, now: deps.now() });
      };
    },
    onReleased: (tx, job) => setState(tx, job, 'new', null),
    // Waiting for a retry, the item is `new` again and shows why the last attempt failed.
    onFailed: (tx, job, failure) => setState(tx, job, failure.final ? 'failed' : 'new', failure.reason),
  };
}
