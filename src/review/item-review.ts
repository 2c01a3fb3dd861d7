import { eq, sql } from 'drizzle-orm';
import type { AuditAction } from '../audit/actions.ts';
import type { JsonValue } from '../audit/canonical-json.ts';
import type { AuditActor } from '../audit/chain.ts';
import { auditKey } from '../audit/chain.ts';
import { recordAuditEvent } from '../audit/record.ts';
import type { Config } from '../config.ts';
import type { DbOrTx, Tx } from '../db/client.ts';
import { items } from '../db/schema/intake.ts';
import { itemReviews } from '../db/schema/review.ts';
import { NotFound } from '../errors.ts';
import type { ReviewQueue } from '../taxonomy/vocabulary.ts';

/** The item's review row with its review queue (kept on the item, where the queue indexes are). */
export type ItemReviewRow = typeof itemReviews.$inferSelect & { queue: ReviewQueue | null };

/** A 404 that says which object is missing (a bare `not_found` means "no such route"). */
export const itemNotFound = () => new NotFound('item_not_found');

/** The item's triage state and its review row (all nulls when nobody touched it yet); 404 when there is no item. */
export function requireItemForReview(db: DbOrTx, itemId: number): { state: string; review: ItemReviewRow } {
  const row = db
    .select({ state: items.state, queue: items.reviewQueue, review: itemReviews })
    .from(items)
    .leftJoin(itemReviews, eq(itemReviews.itemId, items.id))
    .where(eq(items.id, itemId))
    .get();
  if (!row) throw itemNotFound();
  const empty = { itemId, claimedBy: null, claimedUntil: null, inReviewAt: null, decidedAt: null };
  return { state: row.state, review: { ...(row.review ?? empty), queue: row.queue } };
}

/** Creates or updates the item's review row and queue; `inReviewAt` keeps its first value. */
export function updateItemReview(tx: Tx, itemId: number, change: Partial<Omit<ItemReviewRow, 'itemId'>>): void {
  const { queue, ...set } = change;
  if (queue !== undefined) tx.update(items).set({ reviewQueue: queue }).where(eq(items.id, itemId)).run();
  const { inReviewAt, ...rest } = set;
  const values = { itemId, ...set };
  const update = {
    ...rest,
    ...(inReviewAt !== undefined ? { inReviewAt: sql`coalesce(${itemReviews.inReviewAt}, ${inReviewAt})` } : {}),
  };
  const insert = tx.insert(itemReviews).values(values);
  if (Object.keys(update).length === 0) insert.onConflictDoNothing().run();
  else insert.onConflictDoUpdate({ target: itemReviews.itemId, set: update }).run();
}

/** Audits an action on an item (the event's object), in the caller's transaction. */
export function auditItemEvent(
  tx: Tx,
  config: Pick<Config, 'hashKey'>,
  event: { at: number; actor: AuditActor; action: AuditAction; itemId: number; details?: { [key: string]: JsonValue } },
): void {
  recordAuditEvent(tx, auditKey(config), {
    at: event.at,
    actor: event.actor,
    action: event.action,
    objectType: 'item',
    objectId: event.itemId,
    details: event.details,
  });
}
