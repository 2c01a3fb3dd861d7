import { and, eq, inArray } from 'drizzle-orm';
import { auditKey } from '../../audit/chain.ts';
import { recordAuditEvent } from '../../audit/record.ts';
import type { Config } from '../../config.ts';
import type { Tx } from '../../db/client.ts';
import { type ForwardState, forwards } from '../../db/schema/forwarding.ts';

/**
 * What delivery changes on a forward, each change audited in the caller's transaction. The states
 * a delivery may start from are explicit in each update: a forward a supervisor moved on meanwhile
 * (marked sent by hand, acknowledged) is left alone, and the function says so by returning false.
 */

type AuditConfig = Pick<Config, 'hashKey'>;

/** A forward waiting for delivery: new, or its earlier attempts failed. */
export const awaitingDelivery: readonly ForwardState[] = ['pending', 'failed'];
/** A forward whose notice a hosting provider still has to act on. */
export const stillOnline: readonly ForwardState[] = ['sent', 'still_online'];

/** The delivery went through: `sent`, with its time, the receiver's reference and, for a notice, when it went. */
export function markSent(
  tx: Tx,
  config: AuditConfig,
  sent: {
    forwardId: number;
    now: number;
    channel: string;
    attempt: number;
    receiverReference?: string;
    notice: boolean;
  },
): boolean {
  const row = tx
    .update(forwards)
    .set({
      state: 'sent',
      sentAt: sent.now,
      updatedAt: sent.now,
      deliveryAttempts: 0,
      lastDeliveryError: null,
      nextDeliveryAt: null,
      ...(sent.receiverReference ? { receiverReference: sent.receiverReference } : {}),
      ...(sent.notice ? { lastNoticeAt: sent.now } : {}),
    })
    .where(and(eq(forwards.id, sent.forwardId), inArray(forwards.state, awaitingDelivery)))
    .returning({ itemId: forwards.itemId, receiverReference: forwards.receiverReference })
    .get();
  if (!row) return false;
  recordAuditEvent(tx, auditKey(config), {
    at: sent.now,
    actor: 'system',
    action: 'forward.sent',
    objectType: 'forward',
    objectId: sent.forwardId,
    details: { channel: sent.channel, attempt: sent.attempt, receiverReference: row.receiverReference },
    about: [{ type: 'item', id: row.itemId }],
  });
  return true;
}

/**
 * An attempt failed: its count and stable reason, when the next is due, and, from `failedAfter`
 * attempts on, the state `failed` that the outbox shows loudly (it is still retried). False when
 * the forward no longer waits for delivery (nothing to retry).
 */
export function markDeliveryFailed(
  tx: Tx,
  config: AuditConfig,
  failure: { forwardId: number; now: number; attempt: number; reason: string; nextAt: number; failedAfter: number },
): boolean {
  const row = tx
    .update(forwards)
    .set({
      deliveryAttempts: failure.attempt,
      lastDeliveryError: failure.reason,
      nextDeliveryAt: failure.nextAt,
      updatedAt: failure.now,
      ...(failure.attempt >= failure.failedAfter ? { state: 'failed' as const } : {}),
    })
    .where(and(eq(forwards.id, failure.forwardId), inArray(forwards.state, awaitingDelivery)))
    .returning({ itemId: forwards.itemId, state: forwards.state })
    .get();
  if (!row) return false;
  recordAuditEvent(tx, auditKey(config), {
    at: failure.now,
    actor: 'system',
    action: 'forward.delivery_failed',
    objectType: 'forward',
    objectId: failure.forwardId,
    details: {
      attempt: failure.attempt,
      reason: failure.reason,
      state: row.state,
      nextAttemptAt: new Date(failure.nextAt).toISOString(),
    },
    about: [{ type: 'item', id: row.itemId }],
  });
  return true;
}

/** The n-th reminder went out to a provider whose content is still online. */
export function markReminded(
  tx: Tx,
  config: AuditConfig,
  reminded: { forwardId: number; now: number; reminder: number },
): boolean {
  const row = tx
    .update(forwards)
    .set({ reminders: reminded.reminder, lastNoticeAt: reminded.now, updatedAt: reminded.now })
    .where(and(eq(forwards.id, reminded.forwardId), inArray(forwards.state, stillOnline)))
    .returning({ itemId: forwards.itemId })
    .get();
  if (!row) return false;
  recordAuditEvent(tx, auditKey(config), {
    at: reminded.now,
    actor: 'system',
    action: 'forward.reminder',
    objectType: 'forward',
    objectId: reminded.forwardId,
    details: { reminder: reminded.reminder },
    about: [{ type: 'item', id: row.itemId }],
  });
  return true;
}
