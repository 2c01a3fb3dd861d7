import type { LegalStatus } from '../../taxonomy/taxonomy.ts';
import { parseLabel } from '../../taxonomy/taxonomy.ts';
import type { ExportRow } from './export-rows.ts';
import type { PackageFile } from './package.ts';
import { type VicsMedium, vicsMediaHashSet } from './vics.ts';

/** What the report.json header says about the package; the documented schema is data/schemas/export-report-v1.schema.json. */
export interface ExportHeader {
  to: string;
  since: number;
  until: number;
  createdAt: number;
  homeCountry: string;
  descriptions: boolean;
}

export const REPORT_FORMAT = 'hotline-export-report/1';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** One item of report.json: the forward, the item, the confirmed assessment, the media's hashes. */
function reportItem(row: ExportRow, descriptions: boolean) {
  return {
    forwardId: row.forwardId,
    destination: row.destination,
    state: row.state,
    forwardedAt: iso(row.forwardedAt),
    receiverReference: row.receiverReference,
    reasons: JSON.parse(row.reasons) as unknown,
    item: {
      id: row.itemId,
      url: row.url,
      host: row.host,
      firstReportedAt: iso(row.firstReportedAt),
      hosting: { country: row.hostingCountry, asn: row.hostingAsn },
    },
    assessment: {
      legalStatus: row.legalStatus,
      content: row.content,
      mediaType: row.mediaType,
      victimAgeGroup: row.victimAgeGroup,
      victimGender: row.victimGender,
      siteType: row.siteType,
      depiction: row.depiction,
      confirmedAt: iso(row.confirmedAt),
    },
    media: row.media.map(({ hostingCountry, hostingAsn, ...m }) => ({
      ...m,
      hosting: { country: hostingCountry, asn: hostingAsn },
    })),
    ...(descriptions ? { descriptions: row.descriptions } : {}),
  };
}

/** report.json, item by item: the header, the items array, then how many there were. */
export async function* reportJson(header: ExportHeader, rows: Iterable<ExportRow>): AsyncGenerator<string> {
  const head = {
    format: REPORT_FORMAT,
    to: header.to,
    since: iso(header.since),
    until: iso(header.until),
    createdAt: iso(header.createdAt),
    homeCountry: header.homeCountry,
    descriptionsIncluded: header.descriptions,
  };
  yield `${JSON.stringify(head).slice(0, -1)},"items":[`;
  let count = 0;
  for (const row of rows) {
    yield `${count > 0 ? ',' : ''}\n${JSON.stringify(reportItem(row, header.descriptions))}`;
    count += 1;
  }
  yield `\n],"count":${count}}\n`;
}

const csvColumns = [
  'forward_id',
  'destination',
  'state',
  'forwarded_at',
  'receiver_reference',
  'item_id',
  'url',
  'host',
  'first_reported_at',
  'hosting_country',
  'hosting_asn',
  'legal_status',
  'content',
  'media_type',
  'victim_age_group',
  'victim_gender',
  'site_type',
  'depiction',
  'confirmed_at',
  'media_count',
] as const;

/**
 * One CSV cell (RFC 4180). A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab,
 * CR) gets a leading apostrophe: receivers open these files in spreadsheets.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = /^[=+\-@\t\r]/.test(String(value)) && typeof value === 'string' ? `'${value}` : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** items.csv: one line per forward, the description column only when descriptions are included. */
export function* itemsCsv(rows: Iterable<ExportRow>, descriptions: boolean): Generator<string> {
  yield `${[...csvColumns, ...(descriptions ? ['descriptions'] : [])].join(',')}\r\n`;
  for (const row of rows) {
    const cells = [
      row.forwardId,
      row.destination,
      row.state,
      iso(row.forwardedAt),
      row.receiverReference,
      row.itemId,
      row.url,
      row.host,
      iso(row.firstReportedAt),
      row.hostingCountry,
      row.hostingAsn,
      row.legalStatus,
      row.content,
      row.mediaType,
      row.victimAgeGroup,
      row.victimGender,
      row.siteType,
      row.depiction,
      iso(row.confirmedAt),
      row.media.length,
      ...(descriptions ? [row.descriptions.join('\n')] : []),
    ];
    yield `${cells.map(csvCell).join(',')}\r\n`;
  }
}

/** Every medium of every exported item, labelled with the item's confirmed assessment. */
function* vicsMedia(rows: Iterable<ExportRow>): Generator<VicsMedium> {
  for (const row of rows) {
    const label = parseLabel(row.content ? `${row.legalStatus}/${row.content}` : (row.legalStatus as LegalStatus));
    for (const m of row.media) {
      yield {
        md5: m.md5,
        sha1: m.sha1,
        sha256: m.sha256,
        pdq: m.pdq,
        blockhash: m.blockhash,
        size: m.size,
        mimeType: m.mediaType,
        label,
        updatedAt: row.confirmedAt ?? row.forwardedAt,
      };
    }
  }
}

/** The data files a package can hold, by the `--format` that selects each. */
export const exportFormats = ['json', 'csv', 'vics'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/**
 * The data files of a package in `formats` (all three by default), always in the same order; each
 * reads the rows afresh (`rows()`, only when its file is written), so none holds them all.
 */
export function exportFiles(
  header: ExportHeader,
  rows: () => Iterable<ExportRow>,
  formats: readonly ExportFormat[] = exportFormats,
): PackageFile[] {
  const files: Record<ExportFormat, () => PackageFile> = {
    json: () => ({ path: 'report.json', content: reportJson(header, rows()) }),
    csv: () => ({ path: 'items.csv', content: itemsCsv(rows(), header.descriptions) }),
    vics: () => ({ path: 'hashes.vics.json', content: vicsMediaHashSet(vicsMedia(rows())) }),
  };
  return exportFormats.filter((format) => formats.includes(format)).map((format) => files[format]());
}
