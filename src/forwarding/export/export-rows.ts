import { and, asc, count, eq, gt, gte, inArray, isNull, lte, max, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { destinations, forwards } from '../../db/schema/forwarding.ts';
import { items, reports, reportUrls } from '../../db/schema/intake.ts';
import { assessments } from '../../db/schema/review.ts';
import { itemMedia } from '../../db/schema/triage.ts';

/** Which forwards an export holds: those to these destinations, created in [since, until], up to a forward id. */
export interface ExportSelection {
  destinationKeys: readonly string[];
  since: number;
  until: number;
  /** The newest forward when the export began: the three files of a package see the same rows. */
  lastForwardId: number;
  /** Include the reporters' descriptions (the police only, when configured). */
  descriptions: boolean;
  /**
   * Only items confirmed `baseline` (illegal everywhere) that have media hashes: what INTERPOL's
   * ICSE database takes. A `national` item is illegal under Belgian law only, and a page without
   * media gives ICSE nothing to match.
   */
  baselineMediaOnly?: boolean;
}

/** Rows read per query: enough to be quick, few enough that memory stays flat however large the export. */
const PAGE = 500;

const rowColumns = {
  forwardId: forwards.id,
  destination: destinations.key,
  state: forwards.state,
  reasons: forwards.reasons,
  forwardedAt: forwards.createdAt,
  receiverReference: forwards.receiverReference,
  itemId: items.id,
  url: items.url,
  host: items.host,
  firstReportedAt: items.firstReportedAt,
  hostingCountry: items.hostingCountry,
  hostingAsn: items.hostingAsn,
  legalStatus: assessments.outcome,
  content: assessments.content,
  mediaType: assessments.mediaType,
  victimAgeGroup: assessments.victimAgeGroup,
  victimGender: assessments.victimGender,
  siteType: assessments.siteType,
  depiction: assessments.depiction,
  confirmedAt: assessments.decidedAt,
};

const mediumColumns = {
  itemId: itemMedia.itemId,
  position: itemMedia.position,
  url: itemMedia.url,
  mediaType: itemMedia.mediaType,
  size: itemMedia.size,
  sha256: itemMedia.sha256,
  sha1: itemMedia.sha1,
  md5: itemMedia.md5,
  pdq: itemMedia.pdq,
  blockhash: itemMedia.blockhash,
  hostingCountry: itemMedia.hostingCountry,
  hostingAsn: itemMedia.hostingAsn,
};

export type ExportMedium = Omit<ReturnType<typeof mediaOf>[number], 'itemId'>;
export type ExportRow = ReturnType<typeof pageAfter>[number] & { media: ExportMedium[]; descriptions: string[] };

/** The newest forward id now: the end of the snapshot an export reads. */
export function lastForwardId(db: DbOrTx): number {
  return (
    db
      .select({ id: max(forwards.id) })
      .from(forwards)
      .get()?.id ?? 0
  );
}

function selected(selection: ExportSelection) {
  return and(
    lte(forwards.id, selection.lastForwardId),
    inArray(destinations.key, [...selection.destinationKeys]),
    gte(forwards.createdAt, selection.since),
    lte(forwards.createdAt, selection.until),
    ...(selection.baselineMediaOnly
      ? [
          eq(assessments.outcome, 'baseline'),
          sql`exists (select 1 from ${itemMedia} where ${itemMedia.itemId} = ${forwards.itemId})`,
        ]
      : []),
  );
}

/** How many forwards the selection holds. */
export function countExportRows(db: DbOrTx, selection: ExportSelection): number {
  return (
    db
      .select({ n: count() })
      .from(forwards)
      .innerJoin(destinations, eq(destinations.id, forwards.destinationId))
      .innerJoin(assessments, eq(assessments.id, forwards.assessmentId))
      .where(selected(selection))
      .get()?.n ?? 0
  );
}

function pageAfter(db: DbOrTx, selection: ExportSelection, afterId: number) {
  return db
    .select(rowColumns)
    .from(forwards)
    .innerJoin(destinations, eq(destinations.id, forwards.destinationId))
    .innerJoin(items, eq(items.id, forwards.itemId))
    .innerJoin(assessments, eq(assessments.id, forwards.assessmentId))
    .where(and(gt(forwards.id, afterId), selected(selection)))
    .orderBy(asc(forwards.id))
    .limit(PAGE)
    .all();
}

function mediaOf(db: DbOrTx, itemIds: number[]) {
  return db
    .select(mediumColumns)
    .from(itemMedia)
    .where(inArray(itemMedia.itemId, itemIds))
    .orderBy(asc(itemMedia.itemId), asc(itemMedia.position), asc(itemMedia.id))
    .all();
}

/**
 * The selected forwards, oldest first, with their items, confirmed assessments and media. Reads a
 * page at a time by id (keyset), so no query stays open while the package is written and no more
 * than a page is held. Never selects a report's contact, receipt or language.
 */
export function* exportRows(db: DbOrTx, selection: ExportSelection): Generator<ExportRow> {
  let afterId = 0;
  for (;;) {
    const page = pageAfter(db, selection, afterId);
    if (page.length === 0) return;
    const itemIds = [...new Set(page.map((r) => r.itemId))];
    const media = groupBy(mediaOf(db, itemIds));
    const descriptions = selection.descriptions ? descriptionsOf(db, itemIds) : new Map<number, string[]>();
    for (const row of page) {
      yield {
        ...row,
        media: (media.get(row.itemId) ?? []).map(({ itemId: _, ...m }) => m),
        descriptions: descriptions.get(row.itemId) ?? [],
      };
    }
    afterId = page.at(-1)?.forwardId ?? afterId;
  }
}

function groupBy<T extends { itemId: number }>(rows: T[]): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const row of rows) out.set(row.itemId, [...(out.get(row.itemId) ?? []), row]);
  return out;
}

/** What the reporters wrote about each item (not purged by retention). */
function descriptionsOf(db: DbOrTx, itemIds: number[]): Map<number, string[]> {
  const rows = db
    .select({ itemId: reportUrls.itemId, description: reports.description })
    .from(reportUrls)
    .innerJoin(reports, eq(reports.id, reportUrls.reportId))
    .where(and(inArray(reportUrls.itemId, itemIds), isNull(reports.purgedAt)))
    .orderBy(asc(reports.id))
    .all();
  const out = new Map<number, string[]>();
  for (const { itemId, description } of rows) {
    if (description) out.set(itemId, [...(out.get(itemId) ?? []), description]);
  }
  return out;
}
