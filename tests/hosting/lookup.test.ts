import { describe, expect, it } from 'vitest';
import { parseIpLiteral } from '../../src/fetcher/address-policy.ts';
import { createAsnTable, parseRangeCsv } from '../../src/hosting/asn-table.ts';
import { createHostingLookup, hostingOf } from '../../src/hosting/lookup.ts';

// Lookups read the offline databases shipped on npm; nothing is sent anywhere.

describe('createHostingLookup', () => {
  it.each([
    ['37.62.10.20', 'BE', 5432, /Proximus/],
    ['81.246.0.1', 'BE', 5432, /Proximus/],
    ['2a02:a000::1', 'BE', 5432, /Proximus/],
    ['2.160.1.1', 'DE', 3320, /Deutsche Telekom/],
    ['2003::1', 'DE', 3320, /Deutsche Telekom/],
    ['::ffff:37.62.10.20', 'BE', 5432, /Proximus/],
  ])('finds the country and network of %s', async (ip, country, asn, org) => {
    const { lookup } = await createHostingLookup();
    const hosting = lookup(ip);
    expect(hosting).toMatchObject({ ip, country, asn });
    expect(hosting.org).toMatch(org);
  });

  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '192.168.0.10',
    '169.254.169.254',
    '100.64.0.1',
    '::1',
    'fd00::1',
    '::ffff:127.0.0.1',
  ])('gives nulls for the special address %s', async (ip) => {
    const { lookup } = await createHostingLookup();
    expect(lookup(ip)).toEqual({ ip, country: null, asn: null, org: null });
  });

  it('gives nulls and no ip for something that is not an address', async () => {
    const { lookup } = await createHostingLookup();
    expect(lookup('example.org')).toEqual({ ip: null, country: null, asn: null, org: null });
  });

  it('loads the databases once and shares them', async () => {
    expect(await createHostingLookup()).toBe(await createHostingLookup());
  });
});

describe('hostingOf', () => {
  const fakeLookup = {
    lookup: (ip: string) => ({ ip, country: 'BE', asn: 1, org: 'Test' }),
  };

  const unknown = { ip: null, country: null, asn: null, org: null };

  it('marks .onion hosts as onion, with no address or country, whatever the proxy reports', () => {
    const onion = 'abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion';
    expect(hostingOf({ finalUrl: `http://${onion}/a`, remoteAddress: '', viaProxy: true }, fakeLookup)).toEqual({
      kind: 'onion',
      ...unknown,
    });
    const upper = `http://www.${onion.toUpperCase()}./`;
    expect(hostingOf({ finalUrl: upper, remoteAddress: '10.0.0.1', viaProxy: true }, fakeLookup).kind).toBe('onion');
  });

  it('looks up the serving address otherwise', () => {
    expect(
      hostingOf({ finalUrl: 'https://example.org/', remoteAddress: '37.62.10.20', viaProxy: false }, fakeLookup),
    ).toEqual({
      kind: 'ip',
      ip: '37.62.10.20',
      country: 'BE',
      asn: 1,
      org: 'Test',
    });
  });

  it('says `proxy` when a proxy resolved the name, so no address is known', () => {
    const reached = { finalUrl: 'https://example.org/', remoteAddress: '', viaProxy: true };
    expect(hostingOf(reached, fakeLookup)).toEqual({ kind: 'proxy', ...unknown });
    expect(hostingOf({ ...reached, viaProxy: false }, fakeLookup)).toEqual({ kind: 'ip', ...unknown });
  });
});

describe('ASN table', () => {
  const v4 = ['16777216,16777471,13335,"Cloudflare, Inc."', '16778240,16779263,38803,"A ""quoted"" org"', ''].join(
    '\n',
  );
  const v6 =
    '42540488161975842760550356425300246528,42540488241204005274814694018844196863,6939,Hurricane Electric LLC\n';
  const table = createAsnTable(v4, v6);
  const find = (ip: string) => table.find(parseIpLiteral(ip) as NonNullable<ReturnType<typeof parseIpLiteral>>);

  it('finds the range holding an address, at its edges too', () => {
    expect(find('1.0.0.0')).toEqual({ asn: 13335, org: 'Cloudflare, Inc.' });
    expect(find('1.0.0.255')).toEqual({ asn: 13335, org: 'Cloudflare, Inc.' });
    expect(find('1.0.4.7')).toEqual({ asn: 38803, org: 'A "quoted" org' });
    expect(find('2001::1')).toEqual({ asn: 6939, org: 'Hurricane Electric LLC' });
  });

  it('finds nothing between, before or after ranges', () => {
    expect(find('1.0.1.0')).toBeNull();
    expect(find('0.255.255.255')).toBeNull();
    expect(find('9.9.9.9')).toBeNull();
    expect(find('2a00::1')).toBeNull();
  });

  it('refuses unsorted data instead of answering wrongly', () => {
    expect(() => parseRangeCsv('20,30,1,a\n10,15,2,b\n', Number)).toThrow(/not sorted/);
  });
});
