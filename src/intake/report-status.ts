import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { items, reports, reportUrls } from '../db/schema/intake.ts';
import { itemReviews } from '../db/schema/review.ts';
import { type ReporterStatusClock, visibleItemStatus } from '../review/reporter-status.ts';
import type { ReportStatus } from '../taxonomy/vocabulary.ts';

/**
 * What a reporter sees for a report of several addresses: forwarded as soon as any address was
 * forwarded, closed only when all are closed, in review when any is, else received.
 */
export function combineItemStatuses(statuses: readonly ReportStatus[]): ReportStatus {
  if (statuses.includes('forwarded')) return 'forwarded';
  if (statuses.length > 0 && statuses.every((s) => s === 'closed')) return 'closed';
  if (statuses.includes('in_review') || statuses.includes('closed')) return 'in_review';
  return 'received';
}

/**
 * The status of the report with this receipt hash, or undefined when there is none. Each item's
 * status follows the review's rule (src/review/reporter-status.ts): shown only a delay after the report.
 */
export function findReportStatus(
  db: DbOrTx,
  receiptHash: string,
  clock: ReporterStatusClock,
): ReportStatus | undefined {
  const rows = db
    .select({
      reportId: reports.id,
      receivedAt: reports.receivedAt,
      itemId: items.id,
      forwarded: items.reviewStatus,
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
  const delayMs = clock.delayMs(first.reportId);
  const now = clock.now();
  return combineItemStatuses(
    rows.flatMap((row) =>
      row.itemId === null
        ? []
        : [
            visibleItemStatus(
              { inReviewAt: row.inReviewAt, decidedAt: row.decidedAt, forwarded: row.forwarded === 'forwarded' },
              row.receivedAt,
              delayMs,
              now,
            ),
          ],
    ),
  );
}
