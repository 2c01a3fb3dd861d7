import { FetchError, type FetchErrorReason } from '../fetcher/errors.ts';
import type { FetchedResource } from '../fetcher/index.ts';
import type { ReachedContent, SiteHosting } from '../hosting/lookup.ts';
import type { BankMatch } from '../matching/matcher.ts';
import { noPerceptualSignals, type Signals } from '../signals/compute-signals.ts';
import { isHashedImageType, UNKNOWN_MEDIA_TYPE } from '../signals/media-type.ts';
import { type ExactSignals, SignalsError, type SignalsRefusal } from '../signals/signals-error.ts';
import type { MatchThresholds } from './match-thresholds.ts';
import type { PageMedia } from './page-media.ts';

/**
 * One address through triage, in memory: fetch it; when it is a page, fetch the media it shows;
 * hash each medium and drop its bytes; match the signals against the banks; look up where each
 * was hosted. Stores nothing: the worker writes the result, the `triage` command prints it.
 */

/**
 * What triage needs of a fetch. `bytes` is null for content the fetcher did not keep (too large,
 * or neither image nor page): its `exact` hashes, computed while it streamed, are all there is.
 */
export type FetchedContent = Pick<
  FetchedResource,
  'url' | 'finalUrl' | 'status' | 'remoteAddress' | 'viaProxy' | 'exact' | 'bytes' | 'mediaType' | 'tlsInvalid'
>;

/** The I/O triage needs, injected so tests can swap any part. */
export interface TriageTools {
  /** Rejects with FetchError `timeout` once `signal` aborts, ending its connections at once. */
  fetch(url: string, signal: AbortSignal): Promise<FetchedContent>;
  /** `known`: the fetcher's exact hashes of these bytes, so that they are not computed twice. */
  computeSignals(bytes: Buffer, known: ExactSignals): Promise<Signals>;
  /** Bank matches; perceptual ones within `thresholds` when given (the settings in force), else the configured ones. */
  match(signals: Signals, thresholds?: MatchThresholds): BankMatch[];
  /** Where the content came from (see hostingOf). */
  lookupHosting(reached: ReachedContent): SiteHosting;
  extractPageMedia(html: string, baseUrl: string, limit: number): PageMedia;
  maxMediaPerPage: number;
}

export type { HostingKind, SiteHosting } from '../hosting/lookup.ts';

export interface InspectedMedium {
  url: string;
  size: number;
  signals: Signals;
  /** Why the pixels were not hashed (refused by the hasher, or too large to keep): exact hashes only. */
  refusal: SignalsRefusal | null;
  matches: BankMatch[];
  /** A page's media often sit on a CDN elsewhere: each has its own hosting. */
  hosting: SiteHosting;
  /** A certificate on the way to it did not verify; it was fetched anyway. */
  tlsInvalid: boolean;
}

export interface SkippedMedium {
  url: string;
  /** `media_limit`, with the page's address: the page shows more media than triage looks at. */
  reason: FetchErrorReason | 'media_limit';
  /** The status it answered with, for `http_status`: a 404 says it is gone, a 503 or a 403 says nothing. */
  httpStatus?: number;
}

export interface Inspection {
  url: string;
  finalUrl: string | null;
  httpStatus: number | null;
  hosting: SiteHosting | null;
  /** True when the address served a page and `media` are the media it shows. */
  page: boolean;
  media: InspectedMedium[];
  /** Media of a page that could not be fetched or hashed (`timeout` once the budget ran out). */
  skipped: SkippedMedium[];
  /** Why the address itself gave no content; null when it did. */
  error: FetchErrorReason | null;
  /** A certificate on the way to the address's content did not verify; it was fetched anyway. */
  tlsInvalid: boolean;
}

const htmlType = 'text/html';
/** Page media fetched at once: fast enough for a page of fifty, and at most four bodies held in memory. */
export const mediaParallelism = 4;

/** Triages `url` within `signal`: once it aborts, media not yet fetched are skipped as `timeout`. */
export async function inspectUrl(
  url: string,
  tools: TriageTools,
  signal: AbortSignal = new AbortController().signal,
): Promise<Inspection> {
  let resource: FetchedContent;
  try {
    resource = await tools.fetch(url, signal);
  } catch (error) {
    if (!(error instanceof FetchError)) throw error;
    const failed = { finalUrl: null, hosting: null, page: false, media: [], skipped: [], tlsInvalid: false };
    return { url, ...failed, httpStatus: error.status ?? null, error: error.reason };
  }
  const fetched = {
    url,
    finalUrl: resource.finalUrl,
    httpStatus: resource.status,
    hosting: tools.lookupHosting(resource),
    tlsInvalid: resource.tlsInvalid !== null,
  };
  if (resource.mediaType === htmlType) {
    if (!resource.bytes) return { ...fetched, page: false, media: [], skipped: [], error: 'too_large' };
    const html = resource.bytes.toString('utf8');
    resource.bytes.fill(0);
    const found = tools.extractPageMedia(html, resource.finalUrl, tools.maxMediaPerPage);
    const { media, skipped } = await inspectPageMedia(found.urls, tools, signal);
    // Media past the limit were never seen: the item must not pass for fully inspected.
    if (found.truncated) skipped.push({ url: resource.finalUrl, reason: 'media_limit' });
    return { ...fetched, page: true, media, skipped, error: null };
  }
  try {
    const medium = await hashAndMatch(resource, tools);
    return { ...fetched, page: false, media: [medium], skipped: [], error: null };
  } catch (error) {
    if (!(error instanceof FetchError)) throw error;
    return { ...fetched, page: false, media: [], skipped: [], error: error.reason };
  }
}

/** The page's media, a few at a time, kept in page order. */
async function inspectPageMedia(urls: string[], tools: TriageTools, signal: AbortSignal) {
  const results: (InspectedMedium | SkippedMedium)[] = [];
  let next = 0;
  const lane = async () => {
    while (next < urls.length) {
      const position = next++;
      const url = urls[position] as string;
      if (signal.aborted) {
        results[position] = { url, reason: 'timeout' };
        continue;
      }
      try {
        results[position] = await hashAndMatch(await tools.fetch(url, signal), tools);
      } catch (error) {
        if (!(error instanceof FetchError)) throw error;
        results[position] = { url, reason: error.reason, ...(error.status ? { httpStatus: error.status } : {}) };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(mediaParallelism, urls.length) }, lane));
  const media: InspectedMedium[] = [];
  const skipped: SkippedMedium[] = [];
  for (const result of results) {
    if ('signals' in result) media.push(result);
    else skipped.push(result);
  }
  return { media, skipped };
}

/**
 * Hashes the fetched bytes and overwrites them: they must not outlive the hashing, not even in a
 * heap snapshot or a core dump. An image the hasher refuses to decode (a decompression bomb, a
 * damaged file) or the fetcher did not keep keeps its exact hashes, which banks can still match.
 * Only a page is not a medium.
 */
async function hashAndMatch(resource: FetchedContent, tools: TriageTools): Promise<InspectedMedium> {
  const hosting = tools.lookupHosting(resource);
  const tlsInvalid = resource.tlsInvalid !== null;
  const { bytes } = resource;
  if (resource.mediaType === htmlType) {
    bytes?.fill(0);
    throw new FetchError('not_media');
  }
  // Bytes the sniffer does not know (a rare archive or video format) keep their exact hashes:
  // partner lists identify such files by MD5 or SHA-1.
  const mediaType = resource.mediaType ?? UNKNOWN_MEDIA_TYPE;
  if (bytes === null) {
    const { size, ...exact } = resource.exact;
    const signals = { ...exact, ...noPerceptualSignals, mediaType };
    const refusal = isHashedImageType(mediaType) ? 'too_large' : null;
    return { url: resource.url, size, signals, refusal, matches: tools.match(signals), hosting, tlsInvalid };
  }
  const size = bytes.length;
  const { sha256, sha1, md5 } = resource.exact;
  let signals: Signals;
  let refusal: SignalsRefusal | null = null;
  try {
    signals = await tools.computeSignals(bytes, { sha256, sha1, md5 });
  } catch (error) {
    if (!(error instanceof SignalsError)) throw error;
    if (!error.exact) throw new FetchError('too_large');
    refusal = error.reason;
    signals = { ...error.exact, ...noPerceptualSignals, mediaType };
  } finally {
    bytes.fill(0);
  }
  return { url: resource.url, size, signals, refusal, matches: tools.match(signals), hosting, tlsInvalid };
}
