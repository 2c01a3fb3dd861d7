import { getDomain } from 'tldts';
import { isIpHost, isOnionName } from './host.ts';
import { isLocalHost } from './local-address.ts';
import { type CanonicalUrlError, joinCanonical, type SafeBrowsingParts, safeBrowsingParts } from './safe-browsing.ts';
import { dedupQuery } from './tracking-params.ts';

export type { CanonicalUrlError } from './safe-browsing.ts';

export interface CanonicalUrl {
  ok: true;
  /** Safe Browsing v4 canonical form: no fragment, no port, escapes normalised. */
  canonical: string;
  /** The address to fetch: `canonical` as a WHATWG URL, with a non-default port kept. */
  url: string;
  /** The merge key: no scheme, no leading `www.`, no tracking parameters, parameters sorted. */
  dedupKey: string;
  /** Lowercase, punycode; IPv4 as four decimals; IPv6 in brackets. */
  host: string;
  /** Public suffix list, private suffixes (github.io, ...) included; null for addresses and bare suffixes. */
  registrableDomain: string | null;
  isIp: boolean;
  isOnion: boolean;
  /** `localhost`, `*.localhost`, or a private, loopback, link-local or reserved address. */
  isLocal: boolean;
}

export interface CanonicalUrlRefusal {
  ok: false;
  error: CanonicalUrlError;
}

export type CanonicalUrlResult = CanonicalUrl | CanonicalUrlRefusal;

// The host is already canonical: tldts need not extract, validate or detect IPs again.
const DOMAIN_OPTIONS = {
  allowPrivateDomains: true,
  extractHostname: false,
  detectIp: false,
  validateHostname: false,
  mixedInputs: false,
} as const;
const DEFAULT_PORT = { http: 80, https: 443 } as const;
/** Characters the WHATWG parser would percent-encode or reinterpret in a path or query. */
const WHATWG_REWRITES = /["'<>\\^`{|}]/;

function refuse(error: CanonicalUrlError): CanonicalUrlRefusal {
  return { ok: false, error };
}

/** The port as the WHATWG parser reads it: '' when default, null when out of range. */
function effectivePort(scheme: 'http' | 'https', port: string): string | null {
  if (port === '') return '';
  const number = Number(port);
  if (number > 65535) return null;
  return number === DEFAULT_PORT[scheme] ? '' : String(number);
}

/**
 * The address to fetch, or null when no browser would accept it. When the host is known to be
 * valid and nothing in the path or query would be rewritten, `new URL` would return its input
 * unchanged, so the string is built directly.
 */
function fetchableUrl(parts: SafeBrowsingParts, canonical: string, port: string): string | null {
  const { scheme, host, path, query } = parts;
  const withPort =
    port === '' ? canonical : `${scheme}://${host}:${port}${canonical.slice(scheme.length + 3 + host.length)}`;
  if (parts.hostIsWhatwg && !WHATWG_REWRITES.test(path) && (query === null || !WHATWG_REWRITES.test(query)))
    return withPort;
  try {
    const parsed = new URL(withPort);
    // The spec keeps hosts no browser could reach (`host%23.com`): refuse them, so that `url`
    // and `canonical` always name the same host.
    return parsed.hostname === host ? parsed.href : null;
  } catch {
    return null;
  }
}

/**
 * Canonicalises a reported address (pure, no I/O). Never throws: anything that is not an http(s)
 * address with a real host comes back as `{ ok: false, error }`.
 */
export function canonicaliseUrl(input: string): CanonicalUrlResult {
  if (typeof input !== 'string') return refuse('not_a_url');
  const parts = safeBrowsingParts(input);
  if ('error' in parts) return refuse(parts.error);
  const canonical = joinCanonical(parts);
  const port = effectivePort(parts.scheme, parts.port);
  const url = port === null ? null : fetchableUrl(parts, canonical, port);
  if (url === null) return refuse('not_a_url');

  const { host } = parts;
  const isIp = isIpHost(host);
  const registrableDomain = isIp ? null : getDomain(host, DOMAIN_OPTIONS);
  const keyHost =
    registrableDomain !== null && host !== registrableDomain && host.startsWith('www.') ? host.slice(4) : host;
  const keyPort = port === '' ? '' : `:${port}`;
  return {
    ok: true,
    canonical,
    url,
    dedupKey: `${keyHost}${keyPort}${parts.path}${dedupQuery(parts.query)}`,
    host,
    registrableDomain,
    isIp,
    isOnion: isOnionName(host),
    isLocal: isLocalHost(host, isIp),
  };
}
