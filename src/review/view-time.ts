import { randomBytes } from 'node:crypto';
import { and, eq, lt, sql } from 'drizzle-orm';
import { auditKey, userActor } from '../audit/chain.ts';
import { auditedTransaction, recordAuditEvent } from '../audit/record.ts';
import type { Tx } from '../db/client.ts';
import { analystExposure, safeViews } from '../db/schema/review.ts';
import { Forbidden, NotFound } from '../errors.ts';
import type { ReviewDeps } from './claims.ts';
import { exposureDay, exposureToday } from './exposure.ts';

// Exposure is "time with a view open below the blur threshold". The server cannot see a screen, so
// the app reports a view that is on screen (and its tab visible) with a heartbeat every
// `heartbeatIntervalMs`; the server charges the time since the view's previous charge by its own
// clock, never more than one interval and some slack: a client can stop counting (by closing the
// view) but never claim more time than passed, nor backdate it.

/** How often the app reports a view on screen. */
export const heartbeatIntervalMs = 20_000;
/** What one heartbeat may charge beyond the interval: a late timer, a slow network. */
export const heartbeatSlackMs = 10_000;
/** Charged when the view is served: the first moments on screen, before any heartbeat. */
export const viewStartChargeMs = 5_000;

/** `POST /api/v1/views/:viewId/heartbeat`'s `:viewId`: the opaque id of `X-View-Id`. */
export const viewIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

function charge(tx: Tx, userId: number, now: number, ms: number, timeZone: string): void {
  if (ms <= 0) return;
  tx.insert(analystExposure)
    .values({ userId, day: exposureDay(now, timeZone), ms })
    .onConflictDoUpdate({
      target: [analystExposure.userId, analystExposure.day],
      set: { ms: sql`${analystExposure.ms} + ${ms}` },
    })
    .run();
}

/**
 * A view below the threshold starts, in the caller's transaction (the one that audits the view):
 * its first moments are charged, and the view gets its id for the heartbeats. The analyst's views
 * of earlier days are forgotten here (their time is in the daily total).
 */
export function openCountedView(
  tx: Tx,
  view: { userId: number; itemId: number; medium: number; now: number; timeZone: string },
): { viewId: string; chargedMs: number } {
  tx.delete(safeViews)
    .where(and(eq(safeViews.userId, view.userId), lt(safeViews.openedAt, view.now - 86_400_000)))
    .run();
  const viewId = randomBytes(16).toString('base64url');
  tx.insert(safeViews)
    .values({
      id: viewId,
      userId: view.userId,
      itemId: view.itemId,
      medium: view.medium,
      openedAt: view.now,
      lastChargedAt: view.now,
      chargedMs: viewStartChargeMs,
    })
    .run();
  charge(tx, view.userId, view.now, viewStartChargeMs, view.timeZone);
  return { viewId, chargedMs: viewStartChargeMs };
}

/**
 * The time a view stayed on screen since its last charge, reported by the app: charged (at most an
 * interval and its slack) and audited. `hidden` says the view has just left the screen (closed,
 * replaced, or its tab hidden): nothing accrues until the next heartbeat, which then charges
 * nothing for the gap. 404 `view_not_found` for another analyst's view or an unknown one; 403
 * `exposure_exhausted` once the day's budget is spent (the charge stays): the app hides the picture.
 */
export function recordViewHeartbeat(deps: ReviewDeps, userId: number, viewId: string, hidden: boolean) {
  const now = deps.now();
  const chargedMs = auditedTransaction(deps.db, (tx) => {
    const view = tx
      .select()
      .from(safeViews)
      .where(and(eq(safeViews.id, viewId), eq(safeViews.userId, userId)))
      .get();
    if (!view) throw new NotFound('view_not_found');
    const since = view.lastChargedAt;
    const ms = since === null ? 0 : Math.min(Math.max(now - since, 0), heartbeatIntervalMs + heartbeatSlackMs);
    charge(tx, userId, now, ms, deps.config.timeZone);
    tx.update(safeViews)
      .set({ lastChargedAt: hidden ? null : now, chargedMs: view.chargedMs + ms })
      .where(eq(safeViews.id, viewId))
      .run();
    recordAuditEvent(tx, auditKey(deps.config), {
      at: now,
      actor: userActor(userId),
      action: 'media.view_time',
      objectType: 'user',
      objectId: userId,
      details: { item: view.itemId, medium: view.medium, ms, hidden },
    });
    return ms;
  });
  const exposure = exposureToday(deps, userId);
  if (exposure.exhausted && !hidden) throw new Forbidden('exposure_exhausted');
  return { chargedMs, exposure };
}
