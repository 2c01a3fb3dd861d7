import type { CanonicalUrl } from './canonical-url.ts';
import { withoutTrackingParams } from './tracking-params.ts';

const hasScheme = /^[a-z][a-z0-9+.-]*:/i;

/**
 * The address triage fetches: the one the reporter gave, read as a browser reads it (WHATWG), without
 * its fragment and tracking parameters. Not the Safe Browsing form: that one unescapes `%2F`, `%3F`
 * or `%2B`, which on a real server names another resource (a signed CDN link, a path with an encoded
 * slash). When a browser would read another host than the canonicaliser did, the canonical address
 * is fetched: the host that was checked is the host that is fetched.
 */
export function fetchAddress(input: string, canonical: CanonicalUrl): string {
  const trimmed = input.trim();
  const withScheme = hasScheme.test(trimmed) ? trimmed : `http://${trimmed}`;
  if (!URL.canParse(withScheme)) return withoutTrackingParams(canonical.url);
  const url = new URL(withScheme);
  const expected = new URL(canonical.url);
  if (url.hostname !== expected.hostname || url.protocol !== expected.protocol) {
    return withoutTrackingParams(canonical.url);
  }
  url.hash = '';
  // Credentials in a reported address are neither kept nor sent (the fetcher refuses user-info).
  url.username = '';
  url.password = '';
  return withoutTrackingParams(url.href);
}
