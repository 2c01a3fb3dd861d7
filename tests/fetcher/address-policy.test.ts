import { describe, expect, it } from 'vitest';
import {
  isAllowListed,
  isGlobalUnicastAddress,
  isVettedPeer,
  normaliseAddress,
  parseIpLiteral,
} from '../../src/fetcher/address-policy.ts';

// Addresses that must never be connected to, one or more per special range.
const refused: [string, string][] = [
  ['0.0.0.0', 'unspecified'],
  ['0.1.2.3', 'this network'],
  ['10.0.0.1', 'private 10/8'],
  ['10.255.255.255', 'private 10/8 top'],
  ['172.16.0.1', 'private 172.16/12'],
  ['172.31.255.254', 'private 172.16/12 top'],
  ['192.168.1.1', 'private 192.168/16'],
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback top'],
  ['169.254.169.254', 'link-local (cloud metadata)'],
  ['100.64.0.1', 'CGNAT'],
  ['100.127.255.254', 'CGNAT top'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['255.255.255.255', 'broadcast'],
  ['240.0.0.1', 'reserved 240/4'],
  ['192.0.0.170', 'IETF protocol assignments'],
  ['192.0.2.1', 'documentation TEST-NET-1'],
  ['198.51.100.7', 'documentation TEST-NET-2'],
  ['203.0.113.9', 'documentation TEST-NET-3'],
  ['198.18.0.1', 'benchmarking'],
  ['198.19.255.254', 'benchmarking top'],
  ['192.88.99.1', '6to4 relay anycast'],
  ['::', 'IPv6 unspecified'],
  ['::1', 'IPv6 loopback'],
  ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
  ['::ffff:7f00:1', 'IPv4-mapped loopback, hex'],
  ['::ffff:8.8.8.8', 'IPv4-mapped, even of a public address'],
  ['::127.0.0.1', 'IPv4-compatible loopback'],
  ['::7f00:1', 'IPv4-compatible loopback, hex'],
  ['::10.0.0.1', 'IPv4-compatible private'],
  ['::ffff:0:a00:1', 'SIIT (rfc6145)'],
  ['64:ff9b::7f00:1', 'NAT64 well-known prefix'],
  ['64:ff9b::a9fe:a9fe', 'NAT64 of link-local'],
  ['64:ff9b:1::a00:1', 'NAT64 local-use prefix'],
  ['2002:7f00:1::1', '6to4 embedding loopback'],
  ['2002:c0a8:101::1', '6to4 embedding 192.168.1.1'],
  ['2001::1', 'Teredo'],
  ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo client'],
  ['fc00::1', 'ULA fc00::/7'],
  ['fd12:3456:789a::1', 'ULA'],
  ['fe80::1', 'link-local'],
  ['febf:ffff::1', 'link-local top'],
  ['fec0::1', 'site-local (deprecated)'],
  ['ff02::1', 'multicast'],
  ['ff05::1:3', 'multicast site'],
  ['2001:db8::1', 'documentation'],
  ['3fff::1', 'documentation (RFC 9637)'],
  ['2001:2::1', 'benchmarking'],
  ['100::1', 'discard'],
  ['5f00::1', 'SRv6 SIDs'],
  ['4000::1', 'outside 2000::/3'],
  ['not-an-ip', 'not an address'],
  ['', 'empty'],
];

// Ordinary global unicast addresses (checked only as strings: nothing connects to them).
const accepted = [
  '3ffe:ffff::1', // the unassigned block tests use in resolver answers
  '1.1.1.1',
  '8.8.8.8',
  '81.246.1.1',
  '100.63.255.255', // just below CGNAT
  '100.128.0.0', // just above CGNAT
  '172.15.255.255', // just below 172.16/12
  '172.32.0.0', // just above 172.16/12
  '192.167.255.255',
  '198.17.255.255', // just below benchmarking
  '198.20.0.0', // just above benchmarking
  '223.255.255.254',
  '2a00:1450:4001:80b::200e',
  '2606:4700:4700::1111',
  '2c0f:fb50::1',
];

describe('address policy', () => {
  it.each(refused)('refuses %s (%s)', (ip) => {
    expect(isGlobalUnicastAddress(ip)).toBe(false);
  });

  it.each(accepted)('accepts global unicast %s', (ip) => {
    expect(isGlobalUnicastAddress(ip)).toBe(true);
  });

  it('reads IP literals with or without URL brackets and nothing else', () => {
    expect(parseIpLiteral('[::1]')?.toNormalizedString()).toBe('0:0:0:0:0:0:0:1');
    expect(parseIpLiteral('127.0.0.1')?.kind()).toBe('ipv4');
    expect(parseIpLiteral('example.org')).toBeNull();
    // Loose IPv4 forms are not literals here; URL parsing has already rewritten them.
    expect(parseIpLiteral('127.1')).toBeNull();
  });

  it('normalises spellings of one address to one text', () => {
    expect(normaliseAddress('[::1]')).toBe(normaliseAddress('0:0::1'));
    expect(normaliseAddress('::ffff:127.0.0.1')).not.toBe(normaliseAddress('127.0.0.1'));
  });
});

describe('isAllowListed', () => {
  const allow = ['127.0.0.1:8080', '[::1]:9090'];

  it.each([
    ['127.0.0.1', 8080, true],
    ['::1', 9090, true],
    ['[::1]', 9090, true],
    ['0:0:0:0:0:0:0:1', 9090, true],
    ['127.0.0.1', 8081, false],
    ['127.0.0.2', 8080, false],
    ['::1', 8080, false],
    ['::ffff:127.0.0.1', 8080, false],
    ['localhost', 8080, false],
  ] as const)('%s:%i -> %s', (host, port, expected) => {
    expect(isAllowListed(host, port, allow)).toBe(expected);
  });

  it('exempts nothing when the list is empty', () => {
    expect(isAllowListed('127.0.0.1', 8080, [])).toBe(false);
  });
});

describe('isVettedPeer', () => {
  // Pure string checks: nothing connects to these addresses (3ffe::/16 is unassigned, RFC 3701).
  it.each([
    ['3ffe:ffff::1', '3ffe:ffff::1', false, true],
    ['3ffe:ffff:0:0:0:0:0:1', '3ffe:ffff::1', false, true],
    ['100.128.0.1', '100.128.0.1', false, true],
    ['3ffe:ffff::2', '3ffe:ffff::1', false, false],
    ['127.0.0.1', '3ffe:ffff::1', false, false],
    ['::ffff:100.128.0.1', '100.128.0.1', false, false],
    [undefined, '3ffe:ffff::1', false, false],
    ['127.0.0.1', '127.0.0.1', false, false],
    ['127.0.0.1', '127.0.0.1', true, true],
    ['127.0.0.2', '127.0.0.1', true, false],
  ] as const)('peer %s for vetted %s (allowed pair: %s) -> %s', (peer, vetted, allowListed, expected) => {
    expect(isVettedPeer(peer, vetted, allowListed)).toBe(expected);
  });
});
