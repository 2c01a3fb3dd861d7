import { FetchError } from '../fetcher/errors.ts';
import type { Inspection, TriageTools } from '../triage/pipeline.ts';
import type { RefetchedMedium } from './recheck-verdict.ts';

/** A medium triage recorded for an item: where it was found, and its exact hash. */
export interface RecordedMedium {
  url: string;
  sha256: string;
}

/**
 * The recorded media the re-check must fetch again at their own addresses: those the page no
 * longer led to (a page that stops linking its pictures does not make them gone). None when the
 * page already showed a recorded hash: the item is online, and nothing more needs fetching.
 */
export function mediaToRefetch(
  inspection: Pick<Inspection, 'url' | 'finalUrl' | 'media' | 'skipped'>,
  recorded: readonly RecordedMedium[],
): string[] {
  const served = new Set(inspection.media.map((m) => m.signals.sha256));
  if (recorded.some((m) => served.has(m.sha256))) return [];
  const lookedAt = new Set([
    inspection.url,
    inspection.finalUrl,
    ...inspection.media.map((m) => m.url),
    ...inspection.skipped.map((m) => m.url),
  ]);
  return [...new Set(recorded.map((m) => m.url))].filter((url) => !lookedAt.has(url));
}

/**
 * Fetches each address through the safe fetcher, one at a time, and keeps only the SHA-256 the
 * fetcher computed while the body streamed; the bytes are overwritten at once (memory only, as
 * in triage). Once `signal` aborts, the rest are `timeout`.
 */
export async function refetchMedia(
  urls: readonly string[],
  tools: Pick<TriageTools, 'fetch'>,
  signal: AbortSignal,
): Promise<RefetchedMedium[]> {
  const refetched: RefetchedMedium[] = [];
  for (const url of urls) {
    if (signal.aborted) {
      refetched.push({ url, sha256: null, error: 'timeout', httpStatus: null });
      continue;
    }
    try {
      const resource = await tools.fetch(url, signal);
      resource.bytes?.fill(0);
      refetched.push({ url, sha256: resource.exact.sha256, error: null, httpStatus: resource.status });
    } catch (error) {
      if (!(error instanceof FetchError)) throw error;
      refetched.push({ url, sha256: null, error: error.reason, httpStatus: error.status ?? null });
    }
  }
  return refetched;
}
