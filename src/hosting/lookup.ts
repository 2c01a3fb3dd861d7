import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import ipaddr from 'ipaddr.js';
import maxmind from 'maxmind';
import { isGlobalUnicast, parseIpLiteral } from '../fetcher/address-policy.ts';
import { isOnionName } from '../urls/host.ts';
import { createAsnTable } from './asn-table.ts';

// Where content is hosted: the serving address, its country and its network, from databases
// shipped on npm and read offline (a lookup sends nothing anywhere).

/** Where an address is: its country and network, null where unknown. */
export interface AddressHosting {
  ip: string | null;
  country: string | null;
  asn: number | null;
  org: string | null;
}

/** How the content was reached: a looked-up address, a .onion service, or a proxy that resolved the name. */
export type HostingKind = 'ip' | 'onion' | 'proxy';

export interface SiteHosting extends AddressHosting {
  kind: HostingKind;
}

export interface HostingLookup {
  lookup(ip: string): AddressHosting;
}

/** What the fetcher tells of how it reached content (see FetchedContent). */
export interface ReachedContent {
  finalUrl: string;
  /** The address that served it; empty or null when a proxy resolved the name. */
  remoteAddress: string | null;
  viaProxy: boolean;
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

const unknown: AddressHosting = { ip: null, country: null, asn: null, org: null };

/**
 * Where fetched content is hosted: `onion` for a .onion host (reached through the proxy, with no
 * address of its own); `proxy` when a proxy resolved the name and so no address is known; else
 * the lookup of the address that served the content.
 */
export function hostingOf(reached: ReachedContent, lookup: HostingLookup): SiteHosting {
  if (isOnionName(new URL(reached.finalUrl).hostname)) return { kind: 'onion', ...unknown };
  if (!reached.remoteAddress) return { kind: reached.viaProxy ? 'proxy' : 'ip', ...unknown };
  return { kind: 'ip', ...lookup.lookup(reached.remoteAddress) };
}
