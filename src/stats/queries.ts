import { and, eq, gte, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { items, reports } from '../db/schema/intake.ts';
import { assessments } from '../db/schema/review.ts';
import type { StatsRows } from './figures.ts';
import type { Period } from './period.ts';

/**
 * The rows behind the figures of a period. Only columns a retention purge keeps are read (never a
 * description, contact, receipt or typed address), so a purge leaves the figures as they were.
 */
export function statsRows(db: DbOrTx, period: Period): StatsRows {
  const reportRows = db
    .select({ category: reports.category, receivedAt: reports.receivedAt })
    .from(reports)
    .where(and(gte(reports.receivedAt, period.start), lt(reports.receivedAt, period.end)))
    .all();
  const itemRows = db
    .select({ firstReportedAt: items.firstReportedAt })
    .from(items)
    .where(and(gte(items.firstReportedAt, period.start), lt(items.firstReportedAt, period.end)))
    .all();
  // A later assessment overrules an earlier one, so an item has at most one confirmed assessment.
  const assessmentRows = db
    .select({
      outcome: assessments.outcome,
      content: assessments.content,
      siteType: assessments.siteType,
      hostingCountry: items.hostingCountry,
      firstReportedAt: items.firstReportedAt,
      // Set on every decision; the period filter below keeps only rows that have one.
      decidedAt: sql<number>`${assessments.decidedAt}`,
    })
    .from(assessments)
    .innerJoin(items, eq(items.id, assessments.itemId))
    .where(
      and(
        eq(assessments.status, 'confirmed'),
        gte(assessments.decidedAt, period.start),
        lt(assessments.decidedAt, period.end),
      ),
    )
    .all();
  return { reports: reportRows, items: itemRows, assessments: assessmentRows };
}
