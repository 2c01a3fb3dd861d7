import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { createFetcher, FetchError, fetchOptionsFromConfig, type Resolver } from '../fetcher/index.ts';
import { createHostingLookup, hostingOf } from '../hosting/lookup.ts';
import { Matcher } from '../matching/matcher.ts';
import type { Signals } from '../signals/compute-signals.ts';
import { PDQ_VARIANTS } from '../signals/pdq/dct.ts';
import { computeSignalsInPool } from '../signals/signals-pool.ts';
import { extractPageMedia } from './page-media.ts';
import type { FetchedContent, TriageTools } from './pipeline.ts';

/** The matcher wants the PDQ variants as a list in PDQ_VARIANTS order. */
export function matchableSignals(signals: Signals) {
  const variants = signals.pdqVariants;
  return { ...signals, pdqVariants: variants ? PDQ_VARIANTS.map((v) => variants[v]) : null };
}

/**
 * Stops waiting for a fetch when `signal` aborts (the job's budget is spent), rejecting with a
 * `timeout`; a body that still arrives later is wiped. The fetch itself ends at its own timeout.
 */
export function untilAborted(fetching: () => Promise<FetchedContent>, signal: AbortSignal): Promise<FetchedContent> {
  if (signal.aborted) return Promise.reject(new FetchError('timeout'));
  const pending = fetching();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      reject(new FetchError('timeout'));
      pending.then((late) => late.bytes?.fill(0)).catch(() => {});
    };
    signal.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (resource) => {
        signal.removeEventListener('abort', onAbort);
        resolve(resource);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * The real triage tools: the safe fetcher, the hasher with its limits, the bank matcher on `db`,
 * and the offline hosting databases. `close` ends the fetcher's connections.
 */
export async function createTriageTools(
  config: Config,
  db: Db,
  options: { resolve?: Resolver } = {},
): Promise<{ tools: TriageTools; close(): Promise<void> }> {
  const fetcher = createFetcher({ ...fetchOptionsFromConfig(config), ...options });
  const matcher = new Matcher(db, config.matching);
  const hosting = await createHostingLookup();
  const limits = { maxBytes: config.fetch.maxBytes, maxPixels: config.signals.maxPixels };
  return {
    tools: {
      fetch: (url, signal) => untilAborted(() => fetcher.fetch(url), signal),
      computeSignals: (bytes) => computeSignalsInPool(bytes, limits),
      match: (signals) => matcher.match(matchableSignals(signals)),
      lookupHosting: (hostname, remoteAddress) => hostingOf(hostname, remoteAddress, hosting),
      extractPageMedia,
      maxMediaPerPage: config.fetch.maxMediaPerPage,
    },
    close: () => fetcher.close(),
  };
}
