import ipaddr from 'ipaddr.js';

function isLocalIpv4(address: ipaddr.IPv4): boolean {
  return address.range() !== 'unicast';
}

/**
 * Only global unicast (2000::/3) counts as public; everything else is loopback, link-local,
 * unique-local, multicast, documentation or a reserved block. 6to4 addresses carry an IPv4
 * address inside and are judged by it.
 */
function isLocalIpv6(address: ipaddr.IPv6): boolean {
  const range = address.range();
  if (range === '6to4') {
    const [, high = 0, low = 0] = address.parts;
    return isLocalIpv4(new ipaddr.IPv4([high >> 8, high & 255, low >> 8, low & 255]));
  }
  return range !== 'unicast' || ((address.parts[0] ?? 0) & 0xe000) !== 0x2000;
}

/**
 * True for `localhost`, `*.localhost` and private, loopback, link-local or reserved addresses.
 * Takes a canonical host: IPv4 already as four decimals, IPv4-mapped IPv6 already unwrapped.
 */
export function isLocalHost(host: string, isIp: boolean): boolean {
  if (!isIp) return host === 'localhost' || host.endsWith('.localhost');
  if (host.charCodeAt(0) === 0x5b) return isLocalIpv6(ipaddr.IPv6.parse(host.slice(1, -1)));
  return isLocalIpv4(ipaddr.IPv4.parse(host));
}
