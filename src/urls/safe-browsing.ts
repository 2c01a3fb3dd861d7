import { canonicalHost } from './host.ts';
import { escapeBytes, toByteString, unescapeFully } from './percent-encoding.ts';

/**
 * Safe Browsing v4 "URLs and Hashing" canonicalisation, step by step:
 * https://developers.google.com/safe-browsing/v4/urls-hashing#canonicalization
 * This layer follows the spec alone; canonical-url.ts adds the checks a fetchable address needs.
 * It runs on every reported address and in batch jobs, hence index arithmetic over regexes.
 */

export type CanonicalUrlError = 'not_a_url' | 'unsupported_scheme' | 'no_host' | 'too_long';

export interface SafeBrowsingParts {
  scheme: 'http' | 'https';
  /** Canonical host; IPv6 in brackets. */
  host: string;
  /** True when the WHATWG URL parser is known to accept `host` unchanged (see host.ts). */
  hostIsWhatwg: boolean;
  /** The port as written (digits, possibly empty); the canonical form drops it. */
  port: string;
  /** Starts with `/`, escaped. */
  path: string;
  /** Escaped, without the `?`; null when the address has no `?` at all. */
  query: string | null;
}

/** 8 KB of UTF-8: far beyond any real address, small enough to bound the work per input. */
export const MAX_INPUT_BYTES = 8192;

const TAB_CR_LF = /[\t\r\n]/g;
/** Anything that asks for more than splitting: controls, spaces, `#`, `%`, non-ASCII. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control bytes are part of what needs work.
const NEEDS_WORK = /[\x00-\x20#%\x7f-\uffff]/;

function tooLong(input: string): boolean {
  if (input.length > MAX_INPUT_BYTES) return true;
  return input.length * 3 > MAX_INPUT_BYTES && Buffer.byteLength(input, 'utf8') > MAX_INPUT_BYTES;
}

/** Leading and trailing spaces and C0 controls go, as a browser's address bar drops them. */
function trimControls(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) <= 0x20) start++;
  while (end > start && text.charCodeAt(end - 1) <= 0x20) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

const isDigit = (code: number) => code >= 0x30 && code <= 0x39;
const isLetter = (code: number) => (code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a;

/** True when `text` from `start` is one or more digits followed by `/`, `?` or the end: a port. */
function isPortAt(text: string, start: number): boolean {
  let i = start;
  while (i < text.length && isDigit(text.charCodeAt(i))) i++;
  if (i === start) return false;
  return i === text.length || text.charCodeAt(i) === 0x2f || text.charCodeAt(i) === 0x3f;
}

/**
 * Index of the colon ending a scheme (RFC 3986 letters), or -1. In `host:8080/path` the colon
 * starts a port, not a scheme: such input gets the default scheme, as in the spec's examples.
 */
function schemeColon(url: string): number {
  if (!isLetter(url.charCodeAt(0))) return -1;
  for (let i = 1; i < url.length; i++) {
    const code = url.charCodeAt(i);
    if (code === 0x3a) return isPortAt(url, i + 1) ? -1 : i;
    if (!(isLetter(code) || isDigit(code) || code === 0x2b || code === 0x2d || code === 0x2e)) return -1;
  }
  return -1;
}

/** Resolves `.` and `..` segments and collapses runs of slashes; a trailing slash stays. */
function canonicalPath(path: string): string {
  if (path.indexOf('//') === -1 && path.indexOf('/.') === -1) return path;
  const segments = path.split('/');
  const kept: string[] = [];
  const last = segments.length - 1;
  for (let i = 1; i <= last; i++) {
    const segment = segments[i] as string;
    if (segment === '..') kept.pop();
    if (segment === '..' || segment === '.' || segment === '') {
      if (i === last) kept.push('');
    } else {
      kept.push(segment);
    }
  }
  return `/${kept.join('/')}`;
}

/**
 * Index of the colon before the port in `host:port`, or -1: the digits at the end of the host,
 * if a colon precedes them. In an IPv6 literal the closing bracket stops the search.
 */
function portColon(url: string, hostStart: number, hostEnd: number): number {
  let i = hostEnd - 1;
  while (i >= hostStart && isDigit(url.charCodeAt(i))) i--;
  return i >= hostStart && url.charCodeAt(i) === 0x3a ? i : -1;
}

/** Where the host starts: after the last `@` of the authority, if any (user information is dropped). */
function afterUserInfo(url: string, start: number, hostEnd: number): number {
  for (let i = hostEnd - 1; i >= start; i--) if (url.charCodeAt(i) === 0x40) return i + 1;
  return start;
}

/** The scheme named by `url.slice(0, colon)`, or null when it is neither http nor https. */
function webScheme(url: string, colon: number): 'http' | 'https' | null {
  if (colon !== 4 && colon !== 5) return null;
  const scheme = url.slice(0, colon).toLowerCase();
  return scheme === 'http' || scheme === 'https' ? scheme : null;
}

const escapeIf = (needed: boolean, bytes: string) => (needed ? escapeBytes(bytes) : bytes);

/** Splits and canonicalises an address; the spec's canonical form is `joinCanonical` of the result. */
export function safeBrowsingParts(input: string): SafeBrowsingParts | { error: CanonicalUrlError } {
  if (tooLong(input)) return { error: 'too_long' };
  let text = trimControls(input);
  let needsWork = NEEDS_WORK.test(text);
  if (needsWork) {
    // Three native searches cost less than one regex replace, and tabs and line breaks are rare.
    if (text.indexOf('\t') !== -1 || text.indexOf('\n') !== -1 || text.indexOf('\r') !== -1)
      text = text.replace(TAB_CR_LF, '');
    const hash = text.indexOf('#');
    if (hash !== -1) {
      text = text.slice(0, hash);
      // Often the fragment was all there was to do: then unescaping and escaping change nothing.
      needsWork = NEEDS_WORK.test(text);
    }
    // Unescaping comes before any splitting: "%2e" in a host is a dot, "%3F" in a path starts the query.
    if (needsWork) text = unescapeFully(toByteString(text));
  }
  if (text === '') return { error: 'not_a_url' };

  let scheme: 'http' | 'https' = 'http';
  let start = 0;
  const colon = schemeColon(text);
  if (colon !== -1) {
    const named = webScheme(text, colon);
    if (named === null) return { error: 'unsupported_scheme' };
    scheme = named;
    // Browsers accept any run of slashes or backslashes here ("http:/x", "http:\\x").
    start = colon + 1;
    while (start < text.length && (text.charCodeAt(start) === 0x2f || text.charCodeAt(start) === 0x5c)) start++;
  } else if (text.startsWith('//')) {
    start = 2;
  }

  const questionMark = text.indexOf('?', start);
  const end = questionMark === -1 ? text.length : questionMark;
  const slash = text.indexOf('/', start);
  const hostEnd = slash === -1 || slash > end ? end : slash;
  const hostStart = afterUserInfo(text, start, hostEnd);
  const port = portColon(text, hostStart, hostEnd);
  const host = canonicalHost(text.slice(hostStart, port === -1 ? hostEnd : port));
  if (host.host === '') return { error: 'no_host' };
  return {
    scheme,
    host: host.host,
    hostIsWhatwg: host.whatwg,
    port: port === -1 ? '' : text.slice(port + 1, hostEnd),
    path: hostEnd === end ? '/' : escapeIf(needsWork, canonicalPath(text.slice(hostEnd, end))),
    query: questionMark === -1 ? null : escapeIf(needsWork, text.slice(questionMark + 1)),
  };
}

/** The spec's canonical URL: scheme, host, path, and the query when there was a `?`. */
export function joinCanonical(parts: SafeBrowsingParts): string {
  const query = parts.query === null ? '' : `?${parts.query}`;
  return `${parts.scheme}://${parts.host}${parts.path}${query}`;
}
