import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { createFetcher, fetchOptionsFromConfig, type Resolver } from '../fetcher/index.ts';
import { createHostingLookup, hostingOf } from '../hosting/lookup.ts';
import { Matcher } from '../matching/matcher.ts';
import type { Signals } from '../signals/compute-signals.ts';
import { PDQ_VARIANTS } from '../signals/pdq/dct.ts';
import { computeSignalsInPool } from '../signals/signals-pool.ts';
import { extractPageMedia } from './page-media.ts';
import type { TriageTools } from './pipeline.ts';

/** The matcher wants the PDQ variants as a list in PDQ_VARIANTS order. */
export function matchableSignals(signals: Signals) {
  const variants = signals.pdqVariants;
  return { ...signals, pdqVariants: variants ? PDQ_VARIANTS.map((v) => variants[v]) : null };
}

/**
 * The real triage tools: the safe fetcher, the hasher with its limits, the bank matcher on `db`,
 * and the offline hosting databases. `close` ends the fetcher's connections. Without `matchBanks`
 * (the forwards' re-check, which compares exact hashes only) no bank index is built or searched.
 */
export async function createTriageTools(
  config: Config,
  db: Db,
  options: { resolve?: Resolver; matchBanks?: boolean } = {},
): Promise<{ tools: TriageTools; close(): Promise<void> }> {
  const { matchBanks = true, ...fetchOverrides } = options;
  const fetcher = createFetcher({ ...fetchOptionsFromConfig(config), ...fetchOverrides });
  const matcher = matchBanks ? new Matcher(db, config.matching) : null;
  const hosting = await createHostingLookup();
  const limits = { maxBytes: config.fetch.maxBytes, maxPixels: config.signals.maxPixels };
  return {
    tools: {
      fetch: (url, signal) => fetcher.fetch(url, signal),
      computeSignals: (bytes, known) => computeSignalsInPool(bytes, limits, known),
      match: (signals, thresholds) => (matcher ? matcher.match(matchableSignals(signals), thresholds) : []),
      lookupHosting: (reached) => hostingOf(reached, hosting),
      extractPageMedia,
      maxMediaPerPage: config.fetch.maxMediaPerPage,
    },
    close: () => fetcher.close(),
  };
}
