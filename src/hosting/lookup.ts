import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import ipaddr from 'ipaddr.js';
import maxmind from 'maxmind';
import { isGlobalUnicast, parseIpLiteral } from '../fetcher/address-policy.ts';
import { createAsnTable } from './asn-table.ts';

// Where content is hosted: the serving address, its country and its network, from databases
// shipped on npm and read offline (a lookup sends nothing anywhere).

export interface Hosting {
  ip: string | null;
  country: string | null;
  asn: number | null;
  org: string | null;
  /** Set for .onion addresses, which have no country or network. */
  hosting?: 'onion';
}

export interface HostingLookup {
  lookup(ip: string): Hosting;
}

const require = createRequire(import.meta.url);
const countryDatabase = require.resolve('@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb');
const asnIpv4Csv = require.resolve('@ip-location-db/asn/asn-ipv4-num.csv');
const asnIpv6Csv = require.resolve('@ip-location-db/asn/asn-ipv6-num.csv');

interface CountryReader {
  get(ip: string): { country_code?: string } | null;
}

/** A dual-stack socket may report an IPv4 peer as ::ffff:a.b.c.d: the IPv4 address is the one to look up. */
function addressToLookUp(ip: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  const address = parseIpLiteral(ip);
  return address instanceof ipaddr.IPv6 && address.isIPv4MappedAddress() ? address.toIPv4Address() : address;
}

async function load(): Promise<HostingLookup> {
  const [countries, ipv4, ipv6] = await Promise.all([
    maxmind.open(countryDatabase) as unknown as Promise<CountryReader>,
    readFile(asnIpv4Csv, 'utf8'),
    readFile(asnIpv6Csv, 'utf8'),
  ]);
  const networks = createAsnTable(ipv4, ipv6);
  return {
    lookup(ip) {
      const address = addressToLookUp(ip);
      if (address === null) return { ip: null, country: null, asn: null, org: null };
      // Private, loopback and other special addresses have no meaningful country or network.
      if (!isGlobalUnicast(address)) return { ip, country: null, asn: null, org: null };
      const network = networks.find(address);
      return {
        ip,
        country: countries.get(address.toString())?.country_code ?? null,
        asn: network?.asn ?? null,
        org: network?.org ?? null,
      };
    },
  };
}

let loading: Promise<HostingLookup> | undefined;

/** Loads the databases once per process (about 60 MB of heap, half a second); later calls share them. */
export function createHostingLookup(): Promise<HostingLookup> {
  loading ??= load().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

export function isOnionHost(hostname: string): boolean {
  return /\.onion\.?$/i.test(hostname);
}

/**
 * Hosting for a fetched address: `onion` for .onion hosts (reached through the proxy, with no
 * address of their own), otherwise the lookup of the address that served the content.
 */
export function hostingOf(hostname: string, remoteAddress: string | null, lookup: HostingLookup): Hosting {
  if (isOnionHost(hostname)) return { ip: null, country: null, asn: null, org: null, hosting: 'onion' };
  if (!remoteAddress) return { ip: null, country: null, asn: null, org: null };
  return lookup.lookup(remoteAddress);
}
