import { and, eq, gt } from 'drizzle-orm';
import { userActor } from '../audit/chain.ts';
import { auditedTransaction } from '../audit/record.ts';
import type { OnSessionsEnd } from '../auth/sessions.ts';
import type { Config } from '../config.ts';
import type { Tx } from '../db/client.ts';
import { itemReviews, itemSkips } from '../db/schema/review.ts';
import type { AppDeps } from '../deps.ts';
import { Conflict } from '../errors.ts';
import { localDay } from '../local-time.ts';
import { auditItemEvent, requireItemForReview, updateItemReview } from './item-review.ts';
import { claimMs, heldClaim, nextDrawableItem } from './queue.ts';

export type ReviewDeps = Pick<AppDeps, 'db' | 'config' | 'now'>;

/**
 * "Next": the item the analyst already holds, else the highest-priority drawable item, claimed for
 * `claimMs`. Undefined when nothing waits. One immediate transaction, so two analysts never draw the same item.
 */
export function claimNextItem(deps: ReviewDeps, userId: number): number | undefined {
  const now = deps.now();
  return auditedTransaction(deps.db, (tx) => {
    const held = heldClaim(tx, userId, now);
    if (held !== undefined) return held;
    const itemId = nextDrawableItem(tx, userId, now, deps.config.timeZone);
    if (itemId === undefined) return undefined;
    updateItemReview(tx, itemId, { claimedBy: userId, claimedUntil: now + claimMs, inReviewAt: now });
    auditItemEvent(tx, deps.config, { at: now, actor: userActor(userId), action: 'item.claim', itemId });
    return itemId;
  });
}

/** Ends the caller's claim on the item; 409 `not_claimed` when they hold none. */
export function releaseItem(deps: ReviewDeps, userId: number, itemId: number): void {
  const now = deps.now();
  auditedTransaction(deps.db, (tx) => {
    const { review } = requireItemForReview(tx, itemId);
    if (review.claimedBy !== userId || (review.claimedUntil ?? 0) <= now) throw new Conflict('not_claimed');
    updateItemReview(tx, itemId, { claimedBy: null, claimedUntil: null });
    auditItemEvent(tx, deps.config, { at: now, actor: userActor(userId), action: 'item.release', itemId });
  });
}

/**
 * Ends every live claim of the analyst, in the caller's transaction (their sign-out, or their account
 * disabled): the items go back to the queue at once instead of staying locked for the rest of the claim.
 */
export function releaseClaimsOf(
  tx: Tx,
  config: Pick<Config, 'hashKey'>,
  userId: number,
  now: number,
  reason: 'sign_out' | 'disabled',
): void {
  const held = tx
    .select({ itemId: itemReviews.itemId })
    .from(itemReviews)
    .where(and(eq(itemReviews.claimedBy, userId), gt(itemReviews.claimedUntil, now)))
    .all();
  for (const { itemId } of held) {
    updateItemReview(tx, itemId, { claimedBy: null, claimedUntil: null });
    auditItemEvent(tx, config, {
      at: now,
      actor: userActor(userId),
      action: 'item.release',
      itemId,
      details: { reason },
    });
  }
}

/** The hook auth calls when an analyst's sessions end (sign-out, account disabled): their claims end too. */
export const claimsReleaser =
  (config: Pick<Config, 'hashKey'>): OnSessionsEnd =>
  (tx, userId, now, why) =>
    releaseClaimsOf(tx, config, userId, now, why);

/**
 * Passes the item with a reason: its claim (if the caller's) ends, and Next does not serve it to
 * the caller again this day: the hotline's day (HOTLINE_TIME_ZONE), which ends at its midnight. 409 `claimed_by_other` while someone else holds it.
 */
export function skipItem(deps: ReviewDeps, userId: number, itemId: number, reason: string): void {
  const now = deps.now();
  auditedTransaction(deps.db, (tx) => {
    const { review } = requireItemForReview(tx, itemId);
    const claimLive = review.claimedBy !== null && (review.claimedUntil ?? 0) > now;
    if (claimLive && review.claimedBy !== userId) throw new Conflict('claimed_by_other');
    if (claimLive) updateItemReview(tx, itemId, { claimedBy: null, claimedUntil: null });
    const day = localDay(now, deps.config.timeZone);
    tx.insert(itemSkips).values({ itemId, userId, day, reason, at: now }).run();
    auditItemEvent(tx, deps.config, {
      at: now,
      actor: userActor(userId),
      action: 'item.skip',
      itemId,
      details: { day, reason },
    });
  });
}

/** Opening an item screen is audited: who looked at which item, and when. */
export function recordItemView(deps: ReviewDeps, userId: number, itemId: number): void {
  const now = deps.now();
  auditedTransaction(deps.db, (tx) => {
    requireItemForReview(tx, itemId);
    auditItemEvent(tx, deps.config, { at: now, actor: userActor(userId), action: 'item.view', itemId });
  });
}
