import type { RecheckVerdict } from '../db/schema/rechecks.ts';
import type { Inspection } from '../triage/pipeline.ts';

/**
 * What one re-check of a forwarded item means, and what it changes: pure, so every case is tested
 * without a network or a database.
 */

export interface RecheckObservation {
  verdict: RecheckVerdict;
  /** A stable id (`http_404`, `dns`, `hashes_not_served`, ...): stored and audited, never content. */
  reason: string;
}

const hourMs = 3_600_000;
/** A day between re-checks of an item. */
export const recheckIntervalMs = 24 * hourMs;
/** Plus or minus this much, so the re-checks of items forwarded together spread over the hours. */
export const recheckJitterMs = hourMs;
/** A removed item is watched this long for its return, then left alone (no fetching it for ever). */
export const returnWatchMs = 30 * recheckIntervalMs;
/** Two re-checks in a row that find the content gone make a removal: one can be a passing outage. */
export const goneChecksForRemoval = 2;

/** When to re-check next: a day from `now`, jittered by `random()` (0 to 1). */
export function nextRecheckAt(now: number, random: number): number {
  return now + recheckIntervalMs + Math.round((random * 2 - 1) * recheckJitterMs);
}

/** Media a page showed but could not be fetched because they are no longer there: not served. */
const absentReasons: readonly string[] = ['http_status', 'dns'];

/**
 * Reads a re-fetch against the exact hashes triage recorded for the item (SHA-256 of each medium).
 * Gone: 404 or 410, no DNS, or served without any recorded hash. Online: a recorded hash served
 * again, or (with nothing recorded, e.g. a page of text) the address answering. Anything else (a
 * timeout, a refused connection, a 5xx, media that could not all be looked at) proves nothing:
 * `unreachable`, which neither counts towards a removal nor resets the count.
 */
export function observeRecheck(
  inspection: Pick<Inspection, 'error' | 'httpStatus' | 'media' | 'skipped'>,
  recordedSha256: readonly string[],
): RecheckObservation {
  const { error, httpStatus } = inspection;
  if (error === 'dns') return { verdict: 'gone', reason: 'dns' };
  if (error === 'http_status' && (httpStatus === 404 || httpStatus === 410)) {
    return { verdict: 'gone', reason: `http_${httpStatus}` };
  }
  if (error !== null) {
    return { verdict: 'unreachable', reason: httpStatus === null ? error : `${error}_${httpStatus}` };
  }
  if (recordedSha256.length === 0) return { verdict: 'online', reason: 'served' };
  const served = new Set(inspection.media.map((m) => m.signals.sha256));
  if (recordedSha256.some((sha256) => served.has(sha256))) return { verdict: 'online', reason: 'hashes_served' };
  // A recorded medium may be among those not looked at: no conclusion.
  if (inspection.skipped.some((s) => !absentReasons.includes(s.reason))) {
    return { verdict: 'unreachable', reason: 'media_unchecked' };
  }
  return { verdict: 'gone', reason: 'hashes_not_served' };
}

export interface GoneStreak {
  goneStreak: number;
  goneSince: number | null;
}

export interface RecheckStep extends GoneStreak {
  /** The item's followed forwards become `removed`, as of `goneSince`. */
  removed: boolean;
  /** The content is served: removed forwards reopen as `still_online`. */
  online: boolean;
}

/** The streak after one observation at `now`, and what it changes. */
export function recheckStep(before: GoneStreak, observation: RecheckObservation, now: number): RecheckStep {
  if (observation.verdict === 'online') return { goneStreak: 0, goneSince: null, removed: false, online: true };
  if (observation.verdict === 'unreachable') return { ...before, removed: false, online: false };
  const goneStreak = before.goneStreak + 1;
  return { goneStreak, goneSince: before.goneSince ?? now, removed: goneStreak >= goneChecksForRemoval, online: false };
}
