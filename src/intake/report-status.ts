import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { items, reports, reportUrls } from '../db/schema/intake.ts';
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

/** The status of the report with this receipt hash, or undefined when there is none. */
export function findReportStatus(db: DbOrTx, receiptHash: string): ReportStatus | undefined {
  const rows = db
    .select({ reportId: reports.id, itemStatus: items.reviewStatus })
    .from(reports)
    .leftJoin(reportUrls, eq(reportUrls.reportId, reports.id))
    .leftJoin(items, eq(items.id, reportUrls.itemId))
    .where(eq(reports.receiptHash, receiptHash))
    .all();
  if (rows.length === 0) return undefined;
  return combineItemStatuses(rows.flatMap((row) => (row.itemStatus ? [row.itemStatus] : [])));
}
