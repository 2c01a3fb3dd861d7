import { and, asc, count, desc, eq, inArray, lt, or, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { type AuditActor, auditKey, userActor } from '../audit/chain.ts';
import { auditedTransaction, recordAuditEvent } from '../audit/record.ts';
import type { Config } from '../config.ts';
import type { Db, DbOrTx, Tx } from '../db/client.ts';
import { destinations, type ForwardState, forwardStates, forwards } from '../db/schema/forwarding.ts';
import { items } from '../db/schema/intake.ts';
import { itemMedia } from '../db/schema/triage.ts';
import { Conflict, NotFound } from '../errors.ts';
import type { Outcome } from '../taxonomy/taxonomy.ts';
import { channelOf } from './channels/channels.ts';
import { enqueueDelivery } from './delivery/delivery-job.ts';
import { resumeReminders } from './delivery/reminder-job.ts';
import { destinationRow, routingDirectory } from './directory.ts';
import { type Location, type RouteReason, routeAssessment } from './routing.ts';

type ForwardRow = typeof forwards.$inferSelect;
type ForwardingConfig = Pick<Config, 'hashKey' | 'forwarding'>;

/** Where an item's content is: its page, then each medium (which a CDN may serve from elsewhere). */
function itemLocations(tx: DbOrTx, itemId: number): Location[] {
  const page = tx
    .select({ country: items.hostingCountry, asn: items.hostingAsn })
    .from(items)
    .where(eq(items.id, itemId))
    .get();
  const media = tx
    .select({ position: itemMedia.position, country: itemMedia.hostingCountry, asn: itemMedia.hostingAsn })
    .from(itemMedia)
    .where(eq(itemMedia.itemId, itemId))
    .orderBy(asc(itemMedia.position), asc(itemMedia.id))
    .all();
  return [
    ...(page ? [{ what: 'page', country: page.country, asn: page.asn }] : []),
    ...media.map((m) => ({ what: `medium:${m.position}`, country: m.country, asn: m.asn })),
  ];
}

/**
 * Creates the forwards of a confirmed assessment, in the confirmation's transaction: routes the
 * item's locations through the configured rules and the directory, one `pending` forward per
 * destination with the reasons, each audited and its delivery enqueued. Returns how many were created.
 */
export function createForwards(
  tx: Tx,
  config: ForwardingConfig,
  assessment: { id: number; itemId: number; outcome: Outcome },
  actor: AuditActor,
  now: number,
): number {
  const { rules } = config.forwarding;
  const routing = routeAssessment(
    itemLocations(tx, assessment.itemId),
    assessment.outcome,
    routingDirectory(tx, rules.homeCountry),
    rules,
  );
  for (const route of routing.routes) {
    const destination = destinationRow(tx, route.destination);
    const created = tx
      .insert(forwards)
      .values({
        itemId: assessment.itemId,
        assessmentId: assessment.id,
        destinationId: destination.id,
        state: 'pending',
        reasons: JSON.stringify(route.reasons),
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: forwards.id })
      .get();
    recordAuditEvent(tx, auditKey(config), {
      at: now,
      actor,
      action: 'forward.create',
      objectType: 'forward',
      objectId: created.id,
      details: { destination: destination.key, state: 'pending', assessmentId: assessment.id },
      about: [{ type: 'item', id: assessment.itemId }],
    });
    enqueueDelivery(tx, created.id, 1, now);
  }
  return routing.routes.length;
}

/** The states a forward may move to from each state; `removed` reopens to `still_online` when content comes back. */
const nextStates: Record<ForwardState, readonly ForwardState[]> = {
  pending: ['sent', 'failed'],
  failed: ['pending', 'sent'],
  sent: ['acknowledged', 'removed', 'still_online', 'failed'],
  acknowledged: ['removed', 'still_online'],
  still_online: ['removed'],
  removed: ['still_online'],
};

export const forwardPatchSchema = z.strictObject({
  state: z.enum(forwardStates),
  receiverReference: z.string().trim().min(1).max(200).optional(),
});
export type ForwardPatch = z.infer<typeof forwardPatchSchema>;

/** The time column a state sets when it is reached. */
function stampsOf(state: ForwardState, now: number): Partial<ForwardRow> {
  if (state === 'sent') return { sentAt: now };
  if (state === 'acknowledged') return { acknowledgedAt: now };
  if (state === 'removed') return { removedAt: now };
  if (state === 'still_online') return { removedAt: null };
  return {};
}

/** A supervisor records what happened to a forward (sent, acknowledged with the receiver's reference, ...). */
export function updateForward(
  deps: { db: Db; config: ForwardingConfig; now: () => number },
  userId: number,
  id: number,
  patch: ForwardPatch,
) {
  const now = deps.now();
  return auditedTransaction(deps.db, (tx) => {
    const before = tx.select().from(forwards).where(eq(forwards.id, id)).get();
    if (!before) throw new NotFound('forward_not_found');
    if (!nextStates[before.state].includes(patch.state)) throw new Conflict('forward_state_change');
    const after = tx
      .update(forwards)
      .set({
        state: patch.state,
        updatedAt: now,
        ...stampsOf(patch.state, now),
        ...(patch.receiverReference ? { receiverReference: patch.receiverReference } : {}),
      })
      .where(eq(forwards.id, id))
      .returning()
      .get();
    recordAuditEvent(tx, auditKey(deps.config), {
      at: now,
      actor: userActor(userId),
      action: 'forward.update',
      objectType: 'forward',
      objectId: id,
      details: { from: before.state, to: after.state, receiverReference: after.receiverReference },
      about: [{ type: 'item', id: before.itemId }],
    });
    // A notice sent by other means, or content a supervisor found still online: the provider is reminded.
    if (after.state === 'sent' || after.state === 'still_online') {
      resumeReminders(tx, deps.config.forwarding.delivery, [id], now);
    }
    return presentForward(after);
  });
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function presentForward(row: ForwardRow) {
  return {
    ...row,
    reasons: JSON.parse(row.reasons) as RouteReason[],
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
    sentAt: iso(row.sentAt),
    nextDeliveryAt: iso(row.nextDeliveryAt),
    lastNoticeAt: iso(row.lastNoticeAt),
    acknowledgedAt: iso(row.acknowledgedAt),
    removedAt: iso(row.removedAt),
  };
}

const forwardColumns = {
  forward: forwards,
  destination: { key: destinations.key, kind: destinations.kind, name: destinations.name },
  url: items.url,
};

/** An item's forwards with their destinations and reasons, for the item screen. */
export function itemForwards(db: DbOrTx, itemId: number) {
  return db
    .select(forwardColumns)
    .from(forwards)
    .innerJoin(destinations, eq(destinations.id, forwards.destinationId))
    .innerJoin(items, eq(items.id, forwards.itemId))
    .where(eq(forwards.itemId, itemId))
    .orderBy(asc(forwards.id))
    .all()
    .map(({ forward, destination }) => ({ ...presentForward(forward), destination }));
}

export const outboxQuerySchema = z.strictObject({
  /** A state, or `overdue`: pending or sent and not acknowledged within the configured time. */
  state: z.enum([...forwardStates, 'overdue']).optional(),
  limit: z
    .string()
    .regex(/^[1-9]\d{0,2}$/)
    .transform(Number)
    .pipe(z.number().max(500))
    .default(100),
});
export type OutboxQuery = z.infer<typeof outboxQuerySchema>;

/** Waiting too long: pending since creation, or sent without acknowledgement, for longer than `overdueMs`. */
function overdueCondition(now: number, overdueMs: number): SQL | undefined {
  const cutoff = now - overdueMs;
  return or(
    and(eq(forwards.state, 'pending'), lt(forwards.createdAt, cutoff)),
    and(eq(forwards.state, 'sent'), lt(forwards.sentAt, cutoff)),
  );
}

/** The outbox: counts by state and overdue, and the forwards of one state (oldest first), each flagged when overdue. */
export function outbox(db: DbOrTx, config: ForwardingConfig, query: OutboxQuery, now: number) {
  const { overdueMs } = config.forwarding;
  const where =
    query.state === 'overdue'
      ? overdueCondition(now, overdueMs)
      : query.state
        ? eq(forwards.state, query.state)
        : inArray(forwards.state, ['pending', 'failed', 'sent', 'still_online']);
  const rows = db
    .select(forwardColumns)
    .from(forwards)
    .innerJoin(destinations, eq(destinations.id, forwards.destinationId))
    .innerJoin(items, eq(items.id, forwards.itemId))
    .where(where)
    .orderBy(query.state === 'overdue' || !query.state ? asc(forwards.updatedAt) : desc(forwards.updatedAt))
    .limit(query.limit)
    .all();
  const counts = Object.fromEntries(forwardStates.map((state) => [state, 0])) as Record<ForwardState, number>;
  for (const { state, n } of db
    .select({ state: forwards.state, n: count() })
    .from(forwards)
    .groupBy(forwards.state)
    .all())
    counts[state] = n;
  const overdue = db.select({ n: count() }).from(forwards).where(overdueCondition(now, overdueMs)).get()?.n ?? 0;
  return {
    counts: { ...counts, overdue },
    forwards: rows.map(({ forward, destination, url }) => ({
      ...presentForward(forward),
      url,
      destination,
      overdue: isOverdue(forward, now, overdueMs),
      /** The states a supervisor may record next (the outbox screen offers only these). */
      nextStates: nextStates[forward.state],
    })),
  };
}

function isOverdue(forward: ForwardRow, now: number, overdueMs: number): boolean {
  if (forward.state === 'pending') return forward.createdAt < now - overdueMs;
  if (forward.state === 'sent') return (forward.sentAt ?? forward.createdAt) < now - overdueMs;
  return false;
}

/** The states the re-check follows to a removal: the receiver has the item and the content may still be up. */
export const removableStates = ['sent', 'acknowledged', 'still_online'] as const satisfies readonly ForwardState[];

/**
 * Moves the item's forwards in `from` to `to` for the re-check (actor `system`), each audited as
 * `forward.update` with the reason; returns how many changed. In the caller's transaction.
 */
function moveItemForwards(
  tx: Tx,
  config: ForwardingConfig,
  change: {
    itemId: number;
    from: readonly ForwardState[];
    to: ForwardState;
    set: Partial<ForwardRow>;
    /** Only these forwards, when given. */
    only?: readonly number[];
  },
  now: number,
  reason: string,
): number[] {
  const moved = tx
    .select({ id: forwards.id, state: forwards.state })
    .from(forwards)
    .where(and(eq(forwards.itemId, change.itemId), inArray(forwards.state, [...change.from])))
    .orderBy(asc(forwards.id))
    .all()
    .filter((f) => nextStates[f.state].includes(change.to) && (change.only?.includes(f.id) ?? true));
  for (const forward of moved) {
    tx.update(forwards)
      .set({ state: change.to, updatedAt: now, ...change.set })
      .where(eq(forwards.id, forward.id))
      .run();
    recordAuditEvent(tx, auditKey(config), {
      at: now,
      actor: 'system',
      action: 'forward.update',
      objectType: 'forward',
      objectId: forward.id,
      details: { from: forward.state, to: change.to, by: 'recheck', reason, ...change.set },
      about: [{ type: 'item', id: change.itemId }],
    });
  }
  return moved.map((forward) => forward.id);
}

/** The re-check found the item's content gone twice in a row: its followed forwards are `removed` as of `removedAt`. */
export function markRemoved(
  tx: Tx,
  config: ForwardingConfig,
  itemId: number,
  removal: { removedAt: number; reason: string },
  now: number,
): number {
  const change = { itemId, from: removableStates, to: 'removed' as const, set: { removedAt: removal.removedAt } };
  return moveItemForwards(tx, config, change, now, removal.reason).length;
}

/**
 * The re-check found the item's content served: removed forwards reopen as `still_online`, and so
 * do acknowledged provider notices (the provider said it would act, and the content is still up),
 * and their reminders start again (resumeReminders). A forward only sent keeps its state: its
 * reminders never stopped. Returns how many forwards changed.
 */
export function markBackOnline(tx: Tx, config: ForwardingConfig, itemId: number, reason: string, now: number): number {
  const { delivery } = config.forwarding;
  const reopened = moveItemForwards(
    tx,
    config,
    { itemId, from: ['removed'], to: 'still_online', set: { removedAt: null } },
    now,
    reason,
  );
  const acknowledgedNotices = tx
    .select({ id: forwards.id, destination: { kind: destinations.kind, channel: destinations.channel } })
    .from(forwards)
    .innerJoin(destinations, eq(destinations.id, forwards.destinationId))
    .where(and(eq(forwards.itemId, itemId), eq(forwards.state, 'acknowledged')))
    .all()
    .filter(({ destination }) => channelOf(destination, delivery) === 'email')
    .map((f) => f.id);
  const unheeded = moveItemForwards(
    tx,
    config,
    { itemId, from: ['acknowledged'], to: 'still_online', set: {}, only: acknowledgedNotices },
    now,
    reason,
  );
  resumeReminders(tx, delivery, [...reopened, ...unheeded], now);
  return reopened.length + unheeded.length;
}
