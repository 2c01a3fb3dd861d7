import { isOnionName } from '../urls/host.ts';
import { isAllowListed, isGlobalUnicast, parseIpLiteral } from './address-policy.ts';
import { FetchError } from './errors.ts';

/** A URL that passed the checks that need no network: where to connect, and whether it is a test-only pair. */
export interface Target {
  url: URL;
  /** Host without the brackets of an IPv6 literal. */
  host: string;
  port: number;
  /** The host as an IP literal, or null when it is a name to resolve. */
  literal: string | null;
  /** Exactly one of the test-only allowed host:port pairs: exempt from the address and port checks. */
  allowListed: boolean;
}

function hostAndPort(url: URL): { host: string; port: number } {
  return {
    host: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
    port: url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port),
  };
}

/**
 * Names that can only mean something inside the hotline's own network (RFC 6761, 6762, 8375 and
 * common private suffixes), refused before anything is contacted, in every mode: a resolver or a
 * proxy must never be asked about them.
 */
const internalSuffixes = ['.localhost', '.local', '.internal', '.home.arpa', '.lan'];

/** True for a host name (not an IP literal) that is single-label, `localhost` or under an internal suffix. */
export function isInternalName(host: string): boolean {
  const name = host.toLowerCase().replace(/\.+$/, '');
  if (!name.includes('.') || name === 'localhost') return true;
  return internalSuffixes.some((suffix) => name.endsWith(suffix) || name === suffix.slice(1));
}

/**
 * Refuses a `.onion` target unless a proxy resolves names (socks5h://): anything else would ask
 * the system or our own resolver about it, which RFC 7686 forbids and which leaks the address.
 */
export function checkOnionRoute(target: Target, proxyResolvesNames: boolean): void {
  if (target.literal === null && isOnionName(target.host) && !proxyResolvesNames) {
    throw new FetchError('needs_proxy', 'a .onion address needs a socks5h:// proxy');
  }
}

/**
 * True when an http(s) URL points at exactly one of the test-only allowed pairs. Intake uses it
 * to accept such addresses, which it otherwise refuses as local.
 */
export function isAllowListedUrl(raw: string, allow: readonly string[]): boolean {
  if (allow.length === 0 || !URL.canParse(raw)) return false;
  const url = new URL(raw);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  const { host, port } = hostAndPort(url);
  return isAllowListed(host, port, allow);
}

/**
 * Checks a URL (a first request or a redirect hop) before any connection: http or https only,
 * no user-info, an allowed port, for an IP literal a global unicast address, and for a name
 * one that is not internal (`localhost`, `intranet`, `nas.local` ...). The WHATWG
 * parser has already rewritten `127.1`, `2130706433`, `0x7f000001` and `017700000001` to
 * `127.0.0.1`, so every spelling of an address reaches the same check.
 */
export function checkUrl(raw: string, ports: readonly number[], allow: readonly string[]): Target {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new FetchError('unsupported_scheme', 'not an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FetchError('unsupported_scheme');
  if (url.username !== '' || url.password !== '') throw new FetchError('userinfo');
  const { host, port } = hostAndPort(url);
  const address = parseIpLiteral(host);
  const allowListed = isAllowListed(host, port, allow);
  if (!allowListed) {
    if (!ports.includes(port)) throw new FetchError('port');
    if (address !== null && !isGlobalUnicast(address)) throw new FetchError('blocked_address');
  }
  if (address === null && isInternalName(host)) throw new FetchError('blocked_address', 'internal host name');
  return { url, host, port, literal: address === null ? null : host, allowListed };
}
