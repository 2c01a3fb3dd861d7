import { createHmac } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import { deriveKey } from '../crypto/seal.ts';
import { reviewSettings } from '../db/schema/review.ts';
import type { ReportStatus } from '../taxonomy/vocabulary.ts';
import type { ReviewDeps } from './claims.ts';
import { type ReviewSettings, readSettings } from './settings.ts';

const hourMs = 3_600_000;

type StatusDelaySettings = Pick<ReviewSettings, 'statusDelayHours' | 'statusDelayRandomHours'>;

/**
 * How long after a report its status may first change: the configured hours plus a random part,
 * the same for every check of the report (a keyed hash of its id), so asking again and again
 * reveals nothing new, and two reports sent together change at different moments.
 */
export function statusDelayMs(key: Buffer, reportId: number, settings: StatusDelaySettings): number {
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

/** The stored value of a setting, in SQL: null while the configured default is in force. */
const storedSetting = (key: keyof StatusDelaySettings): SQL =>
  sql`(select cast(${reviewSettings.value} as integer) from ${reviewSettings} where ${reviewSettings.key} = ${key})`;

/** What a new report row records of the status delay (intake's insert): the settings in force as it arrives. */
export const statusDelayAtArrival: Record<keyof StatusDelaySettings, SQL> = {
  statusDelayHours: storedSetting('statusDelayHours'),
  statusDelayRandomHours: storedSetting('statusDelayRandomHours'),
};

/** A report as the status check reads it: its id and the delay settings stored when it arrived. */
export interface ReportDelayRow {
  reportId: number;
  statusDelayHours: number | null;
  statusDelayRandomHours: number | null;
}

/**
 * The settings that time a report's status: for each, the larger of the value in force when it
 * arrived (the stored one, else the configured default) and the current one. Raising the delay
 * holds back every report; lowering it only speeds up those that arrive after the change.
 */
export function reportDelaySettings(
  report: ReportDelayRow,
  current: StatusDelaySettings,
  defaults: StatusDelaySettings,
): StatusDelaySettings {
  const larger = (key: keyof StatusDelaySettings) => Math.max(report[key] ?? defaults[key], current[key]);
  return { statusDelayHours: larger('statusDelayHours'), statusDelayRandomHours: larger('statusDelayRandomHours') };
}

/** What the status check needs from the review: the clock and each report's delay. */
export interface ReporterStatusClock {
  now: () => number;
  delayMs: (report: ReportDelayRow) => number;
}

export function reporterStatusClock(deps: ReviewDeps): ReporterStatusClock {
  // The hash key: a rotation of the secret key must not move a report's status delay.
  const key = deriveKey(deps.config.hashKey, 'status-delay');
  return {
    now: deps.now,
    delayMs: (report) =>
      statusDelayMs(
        key,
        report.reportId,
        reportDelaySettings(report, readSettings(deps.db, deps.config), deps.config.review),
      ),
  };
}
