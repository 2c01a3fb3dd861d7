import type { RecheckVerdict } from '../db/schema/rechecks.ts';
import type { FetchErrorReason } from '../fetcher/errors.ts';
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

/**
 * A recorded medium fetched again at the address triage found it at: the page may stop showing it
 * while the host still serves it there. `sha256` when it answered with content (hashed in memory),
 * else why not.
 */
export interface RefetchedMedium {
  url: string;
  sha256: string | null;
  error: FetchErrorReason | null;
  httpStatus: number | null;
}

/** A fetch that failed because the content is no longer there: no DNS, or 404 or 410. */
function absent(failure: { error: string | null; httpStatus?: number | null }): boolean {
  if (failure.error === 'dns') return true;
  return failure.error === 'http_status' && (failure.httpStatus === 404 || failure.httpStatus === 410);
}

/**
 * Reads a re-fetch against the exact hashes triage recorded for the item (SHA-256 of each medium):
 * the page's media and, fetched again at their own addresses, the recorded media the page no longer
 * shows. Online: a recorded hash served anywhere, or (with nothing recorded, e.g. a page of text) the
 * address answering. Gone: the address 404, 410 or without DNS, or served without any recorded hash,
 * with every recorded medium also answering so (or with other content). Anything else (a timeout, a
 * refused connection, a 5xx, a 403, a 429, media that could not all be looked at) proves nothing:
 * `unreachable`, which neither counts towards a removal nor resets the count.
 */
export function observeRecheck(
  inspection: Pick<Inspection, 'error' | 'httpStatus' | 'media' | 'skipped'>,
  recordedSha256: readonly string[],
  refetched: readonly RefetchedMedium[] = [],
): RecheckObservation {
  const { error, httpStatus } = inspection;
  const served = new Set([...inspection.media.map((m) => m.signals.sha256), ...refetched.map((m) => m.sha256)]);
  if (recordedSha256.some((sha256) => served.has(sha256))) return { verdict: 'online', reason: 'hashes_served' };
  // A recorded medium whose own address gave no answer either way may still be served there.
  const mediaUnchecked = refetched.some((m) => m.sha256 === null && !absent(m));
  if (absent(inspection)) {
    if (mediaUnchecked) return { verdict: 'unreachable', reason: 'media_unchecked' };
    return { verdict: 'gone', reason: error === 'dns' ? 'dns' : `http_${httpStatus}` };
  }
  if (error !== null) {
    return { verdict: 'unreachable', reason: httpStatus === null ? error : `${error}_${httpStatus}` };
  }
  if (recordedSha256.length === 0) return { verdict: 'online', reason: 'served' };
  // A recorded medium may be among those not looked at: no conclusion.
  if (mediaUnchecked || inspection.skipped.some((s) => !absent({ error: s.reason, httpStatus: s.httpStatus }))) {
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
