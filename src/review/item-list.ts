import { type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../db/client.ts';
import { pageLimitSchema, positiveIdSchema } from '../http/validation.ts';
import { reportCategories, reportedSiteTypes as reportSiteTypes } from '../taxonomy/vocabulary.ts';
import { effectivePriority, inQueue, queueNames, queueOf } from './queue.ts';

const isoDate = z.iso.date().transform((d) => Date.parse(`${d}T00:00:00Z`));

/** `GET /api/v1/items` filters; every one optional. `cursor` is the `next` of the page before. */
export const itemListQuerySchema = z.strictObject({
  state: z.enum(queueNames).optional(),
  category: z.enum(reportCategories).optional(),
  country: z
    .string()
    .regex(/^[A-Za-z]{2}$/)
    .transform((c) => c.toUpperCase())
    .optional(),
  siteType: z.enum(reportSiteTypes).optional(),
  matched: z.enum(['true', 'false']).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  cursor: positiveIdSchema.optional(),
  limit: pageLimitSchema,
});
export type ItemListQuery = z.output<typeof itemListQuerySchema>;

/**
 * A report field the list filters on. A rare value (a few reports in 100,000) is listed from its
 * reports (indexed by the value) rather than by walking the items newest first, which would look
 * at every item to find it; a common one is found within the first items walked.
 */
interface ReportFacet {
  column: 'category' | 'site_type';
  value: string;
}
/** At most this many reports: a value is rare, and its items are read through the reports' index. */
export const rareReports = 2_000;
const facetCondition = (facet: ReportFacet) =>
  sql`${sql.identifier('rp')}.${sql.identifier(facet.column)} = ${facet.value}`;

/** Whether at most `rareReports` reports have the value: counted on its index, never past the limit. */
function isRare(db: DbOrTx, facet: ReportFacet): boolean {
  const row = db.get<{ n: number }>(
    sql`select count(*) as n from (select 1 from reports rp where ${facetCondition(facet)} limit ${rareReports + 1})`,
  );
  return row.n <= rareReports;
}

/** The report-time range of the list's date filters, `to` inclusive of its whole day. */
interface DateRange {
  from: number;
  to: number;
}
const inRange = (range: DateRange) =>
  sql`first_reported_at >= ${range.from} and first_reported_at < ${range.to + 86_400_000}`;

/** Whether at most `rareReports` items were first reported in the range: counted on its index. */
function isNarrow(db: DbOrTx, range: DateRange): boolean {
  const row = db.get<{ n: number }>(
    sql`select count(*) as n from (select 1 from items where ${inRange(range)} limit ${rareReports + 1})`,
  );
  return row.n <= rareReports;
}

/**
 * The items a page is taken from: every item, or those of a rare value's reports, or those of a
 * narrow date range (each read first, by its index). A page of an old range would otherwise walk
 * every newer item; a wide range is found within the first items walked.
 */
function itemSource(db: DbOrTx, facets: readonly ReportFacet[], range: DateRange | null): SQL {
  const rare = facets.find((facet) => isRare(db, facet));
  // CROSS JOIN keeps the order: the few items first, then each item by its id.
  if (rare) {
    return sql`(select distinct u.item_id as id from reports rp join report_urls u on u.report_id = rp.id
      where ${facetCondition(rare)}) f cross join items i on i.id = f.id`;
  }
  if (range && isNarrow(db, range)) {
    return sql`(select id from items where ${inRange(range)}) f cross join items i on i.id = f.id`;
  }
  return sql`items i`;
}

/**
 * One page of items, newest first, by keyset on the id (a deep page costs what the first does),
 * with the filters of the list view.
 */
export function listItems(db: DbOrTx, query: ItemListQuery, now: number) {
  const where: SQL[] = [sql`1 = 1`];
  const facets: ReportFacet[] = [
    ...(query.category ? [{ column: 'category' as const, value: query.category }] : []),
    ...(query.siteType ? [{ column: 'site_type' as const, value: query.siteType }] : []),
  ];
  if (query.state) where.push(inQueue(query.state));
  if (query.country) where.push(sql`i.hosting_country = ${query.country}`);
  // Unary plus: when the pages walk the items by id, the date index must not be taken for the walk.
  if (query.from !== undefined) where.push(sql`+i.first_reported_at >= ${query.from}`);
  if (query.to !== undefined) where.push(sql`+i.first_reported_at < ${query.to + 86_400_000}`);
  const range =
    query.from !== undefined || query.to !== undefined
      ? { from: query.from ?? 0, to: query.to ?? Number.MAX_SAFE_INTEGER - 86_400_000 }
      : null;
  if (query.cursor !== undefined) where.push(sql`i.id < ${query.cursor}`);
  for (const facet of facets) {
    where.push(
      sql`exists (select 1 from report_urls u join reports rp on rp.id = u.report_id where u.item_id = i.id and ${facetCondition(facet)})`,
    );
  }
  if (query.matched) {
    const matched = sql`exists (select 1 from item_media m join media_matches mm on mm.media_id = m.id where m.item_id = i.id)`;
    where.push(query.matched === 'true' ? matched : sql`not ${matched}`);
  }
  const rows = db.all<{
    id: number;
    url: string;
    host: string;
    state: string;
    reviewQueue: string | null;
    priority: number;
    reportCount: number;
    firstReportedAt: number;
    hostingCountry: string | null;
    claimedBy: number | null;
    claimedUntil: number | null;
    claimedByName: string | null;
  }>(sql`select i.id, i.url, i.host, i.state, i.review_queue as reviewQueue, ${effectivePriority(now)} as priority,
      i.report_count as reportCount, i.first_reported_at as firstReportedAt, i.hosting_country as hostingCountry,
      r.claimed_by as claimedBy, r.claimed_until as claimedUntil, u.username as claimedByName
    from ${itemSource(db, facets, range)} left join item_reviews r on r.item_id = i.id left join users u on u.id = r.claimed_by
    where ${sql.join(where, sql` and `)} order by i.id desc limit ${query.limit + 1}`);
  const page = rows
    .slice(0, query.limit)
    .map(({ claimedBy, claimedUntil, claimedByName, state, reviewQueue, ...row }) => {
      const live = claimedBy !== null && (claimedUntil ?? 0) > now;
      return {
        ...row,
        queue: queueOf(state, reviewQueue),
        firstReportedAt: new Date(row.firstReportedAt).toISOString(),
        claimedBy: live ? claimedBy : null,
        // Who holds the lock and until when, as the list shows it.
        claim: live ? { username: claimedByName, until: new Date(claimedUntil ?? 0).toISOString() } : null,
      };
    });
  return { items: page, next: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null };
}
