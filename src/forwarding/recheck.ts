import { and, asc, eq, gt, inArray, isNull, lte, or } from 'drizzle-orm';
import type { Config } from '../config.ts';
import type { DbOrTx, Tx } from '../db/client.ts';
import { forwards } from '../db/schema/forwarding.ts';
import { itemRechecks } from '../db/schema/rechecks.ts';
import { itemMedia } from '../db/schema/triage.ts';
import { enqueueJob, requeueJob } from '../jobs/queue.ts';
import { markBackOnline, markRemoved, removableStates } from './forwards.ts';
import type { RecordedMedium } from './recheck-media.ts';
import { nextRecheckAt, type RecheckObservation, recheckStep, returnWatchMs } from './recheck-verdict.ts';

type RecheckConfig = Pick<Config, 'hashKey' | 'forwarding'>;

export const recheckJobType = 'forwarding.recheck';
export const recheckJobKey = (itemId: number) => `forwarding:recheck:item:${itemId}`;

/**
 * The forwards a re-check follows: sent, acknowledged or still online (is it gone yet?), and removed
 * within the return watch (has it come back?). Pending and failed ones are the outbox's business:
 * their receiver has nothing yet.
 */
function followed(now: number) {
  return or(
    inArray(forwards.state, [...removableStates]),
    and(eq(forwards.state, 'removed'), gt(forwards.removedAt, now - returnWatchMs)),
  );
}

/** Whether any of the item's forwards is still followed. */
export function isFollowed(db: DbOrTx, itemId: number, now: number): boolean {
  const found = db
    .select({ id: forwards.id })
    .from(forwards)
    .where(and(eq(forwards.itemId, itemId), followed(now)))
    .limit(1)
    .get();
  return found !== undefined;
}

/** The media triage recorded for the item, with their exact hashes: what "still served" is checked against. */
export function recordedMedia(db: DbOrTx, itemId: number): RecordedMedium[] {
  return db
    .select({ url: itemMedia.url, sha256: itemMedia.sha256 })
    .from(itemMedia)
    .where(eq(itemMedia.itemId, itemId))
    .orderBy(asc(itemMedia.position), asc(itemMedia.id))
    .all();
}

/**
 * The sweep: a followed item seen for the first time gets its first re-check a day (jittered)
 * from now; a followed item whose re-check is due gets its job (a finished one is put back).
 * Idempotent: a job already waiting is left alone. Returns how many jobs were queued.
 */
export function queueDueRechecks(tx: Tx, now: number, random: () => number): number {
  const items = tx
    .selectDistinct({ itemId: forwards.itemId, nextCheckAt: itemRechecks.nextCheckAt })
    .from(forwards)
    .leftJoin(itemRechecks, eq(itemRechecks.itemId, forwards.itemId))
    .where(and(followed(now), or(isNull(itemRechecks.itemId), lte(itemRechecks.nextCheckAt, now))))
    .orderBy(asc(forwards.itemId))
    .all();
  let queued = 0;
  for (const { itemId, nextCheckAt } of items) {
    if (nextCheckAt === null) {
      tx.insert(itemRechecks)
        .values({ itemId, nextCheckAt: nextRecheckAt(now, random()) })
        .run();
      continue;
    }
    const key = recheckJobKey(itemId);
    const job = { type: recheckJobType, payload: { itemId }, idempotencyKey: key, now };
    if (enqueueJob(tx, job) || requeueJob(tx, key, now)) queued += 1;
  }
  return queued;
}

/**
 * Records one re-check of the item at `now`, in the caller's transaction: the streak, the next
 * check, and the forwards it changes (gone twice in a row: removed as of the first; served again:
 * reopened), each audited.
 */
export function recordRecheck(
  tx: Tx,
  config: RecheckConfig,
  check: { itemId: number; observation: RecheckObservation; random: number },
  now: number,
): { removed: number; reopened: number } {
  const { itemId, observation } = check;
  const before = tx.select().from(itemRechecks).where(eq(itemRechecks.itemId, itemId)).get();
  const step = recheckStep(
    { goneStreak: before?.goneStreak ?? 0, goneSince: before?.goneSince ?? null },
    observation,
    now,
  );
  const row = {
    goneStreak: step.goneStreak,
    goneSince: step.goneSince,
    nextCheckAt: nextRecheckAt(now, check.random),
    lastCheckedAt: now,
    lastVerdict: observation.verdict,
    lastReason: observation.reason,
  };
  tx.insert(itemRechecks)
    .values({ itemId, ...row })
    .onConflictDoUpdate({ target: itemRechecks.itemId, set: row })
    .run();
  const removedAt = step.goneSince ?? now;
  return {
    removed: step.removed ? markRemoved(tx, config, itemId, { removedAt, reason: observation.reason }, now) : 0,
    reopened: step.online ? markBackOnline(tx, config, itemId, observation.reason, now) : 0,
  };
}
