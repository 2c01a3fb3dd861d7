import { createHash } from 'node:crypto';
import { deriveIntakeKeys, submitReport } from '../../src/intake/submit-report.ts';
import { EarlierMedia } from '../../src/matching/earlier-media.ts';
import type { BankMatch } from '../../src/matching/matcher.ts';
import { noPerceptualSignals } from '../../src/signals/compute-signals.ts';
import type { InspectedMedium, Inspection } from '../../src/triage/pipeline.ts';
import { storeTriageResult } from '../../src/triage/store-triage-result.ts';
import type { TestApp } from '../support/app.ts';
import { row } from '../support/db.ts';

const digest = (algorithm: string, seed: string) => createHash(algorithm).update(seed).digest('hex');

/** A triaged medium with signals derived from `seed` (no bytes exist: only hashes are stored). */
export function medium(seed: string, matches: BankMatch[] = []): InspectedMedium {
  return {
    url: `https://cdn.example.test/${seed}.jpg`,
    size: 1000,
    signals: {
      sha256: digest('sha256', seed),
      sha1: digest('sha1', seed),
      md5: digest('md5', seed),
      mediaType: 'image/jpeg',
      ...noPerceptualSignals,
      pdq: digest('sha256', `pdq ${seed}`),
      pdqQuality: 100,
      width: 10,
      height: 10,
    },
    refusal: null,
    matches,
    hosting: { kind: 'ip', ip: '203.0.113.9', country: 'NL', asn: 64501, org: 'CDN' },
    tlsInvalid: false,
  };
}

/** Reports `url` through the real intake; returns the receipt. */
export function reportUrl(
  t: TestApp,
  url: string,
  report: { category?: string; siteType?: string; contact?: string } = {},
): string {
  const deps = {
    db: t.database.db,
    keys: deriveIntakeKeys(t.config.secretKey),
    now: t.clock.now,
    fetchAllow: t.config.fetch.allow,
  };
  return submitReport(deps, {
    urls: [url],
    category: report.category ?? 'csam',
    siteType: report.siteType ?? 'website',
    mediaType: 'image',
    ...(report.contact ? { contact: report.contact } : {}),
  }).receipt;
}

/** Stores a triage result for the item of `url` through the real triage writer; returns the item id. */
export function triageUrl(
  t: TestApp,
  url: string,
  media: InspectedMedium[],
  error: Inspection['error'] = null,
  country = 'BE',
): number {
  const itemId = row(t.database, 'select i.id from items i where i.url = ?', url).id as number;
  const inspection: Inspection = {
    url,
    finalUrl: url,
    httpStatus: 200,
    hosting: { kind: 'ip', ip: '198.51.100.7', country, asn: 64500, org: 'Site' },
    tlsInvalid: false,
    page: true,
    media: error ? [] : media,
    skipped: [],
    error,
  };
  const earlierMedia = new EarlierMedia(t.config.matching);
  t.database.db.transaction((tx) =>
    storeTriageResult(tx, {
      itemId,
      inspection,
      now: t.clock.now(),
      earlierMedia,
      thresholds: t.config.matching.thresholds,
    }),
  );
  return itemId;
}

/** A reported and triaged item; returns its id. */
export function reportAndTriage(
  t: TestApp,
  url: string,
  media: InspectedMedium[],
  report: {
    category?: string;
    siteType?: string;
    contact?: string;
    error?: Inspection['error'];
    country?: string;
  } = {},
): number {
  reportUrl(t, url, report);
  return triageUrl(t, url, media, report.error ?? null, report.country);
}
