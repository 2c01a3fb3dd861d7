import { createHmac } from 'node:crypto';
import { deriveKey } from '../crypto/seal.ts';
import type { ReportStatus } from '../taxonomy/vocabulary.ts';
import type { ReviewDeps } from './claims.ts';
import { type ReviewSettings, readSettings } from './settings.ts';

const hourMs = 3_600_000;

/**
 * How long after a report its status may first change: the configured hours plus a random part,
 * the same for every check of the report (a keyed hash of its id), so asking again and again
 * reveals nothing new, and two reports sent together change at different moments.
 */
export function statusDelayMs(
  key: Buffer,
  reportId: number,
  settings: Pick<ReviewSettings, 'statusDelayHours' | 'statusDelayRandomHours'>,
): number {
  const fraction = createHmac('sha256', key).update(`report:${reportId}`).digest().readUIntBE(0, 6) / 2 ** 48;
  return settings.statusDelayHours * hourMs + Math.floor(fraction * settings.statusDelayRandomHours * hourMs);
}

/** When the review touched and decided an item (null: not yet); see item_reviews. */
export interface ItemReviewTimes {
  inReviewAt: number | null;
  decidedAt: number | null;
}

/**
 * What one item's reporter may see now. A step counts as made at the report's time when it was
 * made before (a site operator reporting their own, already assessed, address learns nothing at
 * once), and is shown only `delayMs` after that.
 */
export function visibleItemStatus(
  times: ItemReviewTimes,
  reportedAt: number,
  delayMs: number,
  now: number,
): ReportStatus {
  const shown = (at: number | null) => at !== null && Math.max(at, reportedAt) + delayMs <= now;
  // Decided is `closed` whatever the outcome: "forwarded" would tell a site operator reporting their
  // own address that it was found illegal.
  if (shown(times.decidedAt)) return 'closed';
  if (shown(times.inReviewAt)) return 'in_review';
  return 'received';
}

/**
 * What a reporter sees for a report of several addresses: `closed` once every address is decided,
 * `in_review` once any was claimed, assessed or decided, else `received`.
 */
export function combineItemStatuses(statuses: readonly ReportStatus[]): ReportStatus {
  if (statuses.length > 0 && statuses.every((s) => s === 'closed')) return 'closed';
  if (statuses.some((s) => s !== 'received')) return 'in_review';
  return 'received';
}

/** What the status check needs from the review: the clock and each report's delay under the settings in force. */
export interface ReporterStatusClock {
  now: () => number;
  delayMs: (reportId: number) => number;
}

export function reporterStatusClock(deps: ReviewDeps): ReporterStatusClock {
  // The hash key: a rotation of the secret key must not move a report's status delay.
  const key = deriveKey(deps.config.hashKey, 'status-delay');
  return { now: deps.now, delayMs: (reportId) => statusDelayMs(key, reportId, readSettings(deps.db, deps.config)) };
}
