import ipaddr from 'ipaddr.js';

// Which addresses the fetcher may connect to. Anything that is not plain global unicast is refused:
// a reported URL must never reach the hotline's own network, the host itself, or a translator
// (NAT64, 6to4, Teredo) that could lead back into it.

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** The only IPv6 block allocated for global unicast; everything outside it is special by definition. */
const globalUnicastV6: [ipaddr.IPv6, number] = [ipaddr.IPv6.parse('2000::'), 3];

/** Parses an IP literal, with or without the brackets of a URL host; null when it is not one. */
export function parseIpLiteral(host: string): Address | null {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  // isValid (not isValidFourPartDecimal) only for IPv6; IPv4 must be the strict dotted form,
  // since URL parsing has already turned `127.1` or `0x7f000001` into it.
  if (ipaddr.IPv6.isValid(bare)) return ipaddr.IPv6.parse(bare);
  if (ipaddr.IPv4.isValidFourPartDecimal(bare)) return ipaddr.IPv4.parse(bare);
  return null;
}

/**
 * True when the address is global unicast: ipaddr.js classifies it as `unicast` (none of private,
 * loopback, link-local, CGNAT, multicast, reserved, benchmarking, documentation, unspecified,
 * IPv4-mapped, NAT64, 6to4, Teredo, ULA, site-local ...) and, for IPv6, it lies in 2000::/3,
 * which also rules out IPv4-compatible `::a.b.c.d` spellings that ipaddr.js calls unicast.
 */
export function isGlobalUnicast(address: Address): boolean {
  if (address.range() !== 'unicast') return false;
  return address.kind() === 'ipv4' || (address as ipaddr.IPv6).match(globalUnicastV6);
}

/** The same check on a string; anything that does not parse as an IP address is refused. */
export function isGlobalUnicastAddress(ip: string): boolean {
  const address = parseIpLiteral(ip);
  return address !== null && isGlobalUnicast(address);
}

/** Canonical text of an address, so `[::1]` and `0:0::1` compare equal. Mapped forms stay distinct. */
export function normaliseAddress(ip: string): string | null {
  return parseIpLiteral(ip)?.toNormalizedString() ?? null;
}

/**
 * True when host:port is exactly one of the test-only allowed pairs (`127.0.0.1:PORT`, `[::1]:PORT`).
 * Only IP literals can match: a name never does, whatever it resolves to. Intake uses the same
 * function to accept addresses at exactly these pairs.
 */
export function isAllowListed(host: string, port: number, allow: readonly string[]): boolean {
  const address = normaliseAddress(host);
  if (address === null) return false;
  return allow.some((pair) => {
    const colon = pair.lastIndexOf(':');
    return Number(pair.slice(colon + 1)) === port && normaliseAddress(pair.slice(0, colon)) === address;
  });
}

/**
 * The check made on a socket once connected: its peer must be the address we vetted and chose,
 * and still pass the policy unless the connection is to an allowed test pair. This closes any
 * gap between resolution and connection (DNS rebinding, a surprising OS resolver or route).
 */
export function isVettedPeer(peer: string | undefined, vetted: string, allowListed: boolean): boolean {
  if (peer === undefined || normaliseAddress(peer) !== normaliseAddress(vetted)) return false;
  return allowListed || isGlobalUnicastAddress(peer);
}
