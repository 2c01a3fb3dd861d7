import type ipaddr from 'ipaddr.js';

// Address ranges to autonomous systems, from the `@ip-location-db/asn` CSV files
// (`start,end,asn,organisation` with numeric addresses), searched by binary search.

export interface AutonomousSystem {
  asn: number;
  org: string;
}

interface RangeTable<K extends number | bigint> {
  starts: K[];
  ends: K[];
  asns: Uint32Array;
  orgIndex: Uint32Array;
  orgs: string[];
}

function unquote(field: string): string {
  return field.startsWith('"') && field.endsWith('"') ? field.slice(1, -1).replaceAll('""', '"') : field;
}

/** Parses one of the `-num` CSV files; ranges must come sorted, as they are shipped. */
export function parseRangeCsv<K extends number | bigint>(text: string, key: (digits: string) => K): RangeTable<K> {
  const lines = text.split('\n').filter((line) => line.length > 0);
  const table: RangeTable<K> = {
    starts: [],
    ends: [],
    asns: new Uint32Array(lines.length),
    orgIndex: new Uint32Array(lines.length),
    orgs: [],
  };
  const orgIds = new Map<string, number>();
  lines.forEach((line, i) => {
    const first = line.indexOf(',');
    const second = line.indexOf(',', first + 1);
    const third = line.indexOf(',', second + 1);
    const start = key(line.slice(0, first));
    if (i > 0 && start < (table.starts[i - 1] as K)) throw new Error(`ASN ranges not sorted at line ${i + 1}`);
    const org = unquote(line.slice(third + 1).trim());
    let orgId = orgIds.get(org);
    if (orgId === undefined) {
      orgId = table.orgs.push(org) - 1;
      orgIds.set(org, orgId);
    }
    table.starts.push(start);
    table.ends.push(key(line.slice(first + 1, second)));
    table.asns[i] = Number(line.slice(second + 1, third));
    table.orgIndex[i] = orgId;
  });
  return table;
}

function findInTable<K extends number | bigint>(table: RangeTable<K>, value: K): AutonomousSystem | null {
  let low = 0;
  let high = table.starts.length - 1;
  let candidate = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if ((table.starts[mid] as K) <= value) {
      candidate = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  if (candidate === -1 || value > (table.ends[candidate] as K)) return null;
  return { asn: table.asns[candidate] as number, org: table.orgs[table.orgIndex[candidate] as number] as string };
}

export interface AsnTable {
  find(address: ipaddr.IPv4 | ipaddr.IPv6): AutonomousSystem | null;
}

/** Builds the lookup from the IPv4 and IPv6 `-num` CSV texts. */
export function createAsnTable(ipv4Csv: string, ipv6Csv: string): AsnTable {
  const v4 = parseRangeCsv(ipv4Csv, Number);
  const v6 = parseRangeCsv(ipv6Csv, BigInt);
  return {
    find(address) {
      const bytes = address.toByteArray();
      if (address.kind() === 'ipv4')
        return findInTable(
          v4,
          bytes.reduce((n, b) => n * 256 + b, 0),
        );
      return findInTable(v6, BigInt(`0x${Buffer.from(bytes).toString('hex')}`));
    },
  };
}
