import { FetchError, type FetchErrorReason } from './fetcher/errors.ts';
import type { FetchedResource } from './fetcher/index.ts';
import type { Hosting } from './hosting.ts';
import type { BankMatch } from './matcher.ts';
import type { Signals } from './signals/compute-signals.ts';
import { UNKNOWN_MEDIA_TYPE } from './signals/media-type.ts';
import { SignalsError, type SignalsRefusal } from './signals/signals-error.ts';

/**
 * One address through triage, in memory: fetch it; when it is a page, fetch the media it shows;
 * hash each medium and drop its bytes; match the signals against the banks; look up where it is
 * hosted. Stores nothing: the worker writes the result, the `triage` command prints it.
 */

/** The I/O triage needs, injected so tests can swap any part. */
export interface TriageTools {
  fetch(url: string): Promise<FetchedResource>;
  computeSignals(bytes: Buffer): Promise<Signals>;
  match(signals: Signals): BankMatch[];
  /** Where the content came from: the host name (for .onion) and the address that served it. */
  lookupHosting(hostname: string, remoteAddress: string): Hosting;
  extractPageMedia(html: string, baseUrl: string, limit: number): string[];
  maxMediaPerPage: number;
}

export interface InspectedMedium {
  url: string;
  size: number;
  signals: Signals;
  /** Why the hasher refused to decode it: only the exact hashes were computed. */
  refusal: SignalsRefusal | null;
  matches: BankMatch[];
}

export interface SkippedMedium {
  url: string;
  reason: string;
}

export interface Inspection {
  url: string;
  finalUrl: string | null;
  httpStatus: number | null;
  hosting: Hosting | null;
  /** True when the address served a page and `media` are the media it shows. */
  page: boolean;
  media: InspectedMedium[];
  /** Media of a page that could not be fetched or hashed. */
  skipped: SkippedMedium[];
  /** Why the address itself gave no content; null when it did. */
  error: FetchErrorReason | null;
}

const htmlType = 'text/html';

export async function inspectUrl(url: string, tools: TriageTools): Promise<Inspection> {
  let resource: FetchedResource;
  try {
    resource = await tools.fetch(url);
  } catch (error) {
    if (!(error instanceof FetchError)) throw error;
    return {
      url,
      finalUrl: null,
      httpStatus: error.status ?? null,
      hosting: null,
      page: false,
      media: [],
      skipped: [],
      error: error.reason,
    };
  }
  const fetched = {
    url,
    finalUrl: resource.finalUrl,
    httpStatus: resource.status,
    hosting: tools.lookupHosting(new URL(resource.finalUrl).hostname, resource.remoteAddress),
  };
  if (resource.mediaType === htmlType) {
    const html = resource.bytes.toString('utf8');
    resource.bytes.fill(0);
    const mediaUrls = tools.extractPageMedia(html, resource.finalUrl, tools.maxMediaPerPage);
    const { media, skipped } = await inspectPageMedia(mediaUrls, tools);
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

// One medium at a time: a page can list fifty, and each may be megabytes held in memory.
async function inspectPageMedia(urls: string[], tools: TriageTools) {
  const media: InspectedMedium[] = [];
  const skipped: SkippedMedium[] = [];
  for (const url of urls) {
    try {
      media.push(await hashAndMatch(await tools.fetch(url), tools));
    } catch (error) {
      if (!(error instanceof FetchError)) throw error;
      skipped.push({ url, reason: error.reason });
    }
  }
  return { media, skipped };
}

/**
 * Hashes the fetched bytes and overwrites them: they must not outlive the hashing, not even in a
 * heap snapshot or a core dump. An image the hasher refuses to decode (a decompression bomb, a
 * damaged file) keeps its exact hashes, which banks can still match.
 */
async function hashAndMatch(resource: FetchedResource, tools: TriageTools): Promise<InspectedMedium> {
  const size = resource.bytes.length;
  let signals: Signals;
  let refusal: SignalsRefusal | null = null;
  try {
    if (resource.mediaType === null || resource.mediaType === htmlType) throw new FetchError('not_media');
    signals = await tools.computeSignals(resource.bytes);
  } catch (error) {
    if (!(error instanceof SignalsError)) throw error;
    if (!error.exact) throw new FetchError('too_large');
    refusal = error.reason;
    signals = { ...error.exact, ...noPixels, mediaType: resource.mediaType ?? UNKNOWN_MEDIA_TYPE };
  } finally {
    resource.bytes.fill(0);
  }
  return { url: resource.url, size, signals, refusal, matches: tools.match(signals) };
}

const noPixels = { width: null, height: null, blockhash: null, pdq: null, pdqQuality: null, pdqVariants: null };
