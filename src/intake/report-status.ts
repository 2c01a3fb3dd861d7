import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { items, reports, reportUrls } from '../db/schema/intake.ts';
import { itemReviews } from '../db/schema/review.ts';
import { combineItemStatuses, type ReporterStatusClock, visibleItemStatus } from '../review/reporter-status.ts';
import type { ReportStatus } from '../taxonomy/vocabulary.ts';

/**
 * The status of the report with this receipt hash, or undefined when there is none. Each item's
 * status, and how they combine, follow the review's rule (src/review/reporter-status.ts): shown only
 * a delay after the report.
 */
export function findReportStatus(
  db: DbOrTx,
  receiptHash: string,
  clock: ReporterStatusClock,
): ReportStatus | undefined {
  const rows = db
    .select({
      reportId: reports.id,
      statusDelayHours: reports.statusDelayHours,
      statusDelayRandomHours: reports.statusDelayRandomHours,
      receivedAt: reports.receivedAt,
      itemId: items.id,
      inReviewAt: itemReviews.inReviewAt,
      decidedAt: itemReviews.decidedAt,
    })
    .from(reports)
    .leftJoin(reportUrls, eq(reportUrls.reportId, reports.id))
    .leftJoin(items, eq(items.id, reportUrls.itemId))
    .leftJoin(itemReviews, eq(itemReviews.itemId, items.id))
    .where(eq(reports.receiptHash, receiptHash))
    .all();
  const [first] = rows;
  if (!first) return undefined;
  const delayMs = clock.delayMs(first);
  const now = clock.now();
  return combineItemStatuses(
    rows.flatMap((row) =>
      row.itemId === null
        ? []
        : [visibleItemStatus({ inReviewAt: row.inReviewAt, decidedAt: row.decidedAt }, row.receivedAt, delayMs, now)],
    ),
  );
}
