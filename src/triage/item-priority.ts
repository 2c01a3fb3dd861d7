import { eq } from 'drizzle-orm';
import type { Tx } from '../db/client.ts';
import { bankEntries } from '../db/schema/banks.ts';
import { items, reports, reportUrls } from '../db/schema/intake.ts';
import { itemMedia, mediaMatches } from '../db/schema/triage.ts';
import { parseLabel } from '../taxonomy/taxonomy.ts';
import { type Priority, priority } from './priority.ts';

/**
 * Recomputes and stores an item's priority from what the database knows of it: its reports,
 * its hosting, the labels its media matched. Triage calls it after writing results; intake can
 * call it when another report of a triaged item arrives. Null when the item does not exist.
 */
export function recomputeItemPriority(tx: Tx, itemId: number, now: number): Priority | null {
  const item = tx
    .select({
      firstReportedAt: items.firstReportedAt,
      reportCount: items.reportCount,
      hostingCountry: items.hostingCountry,
    })
    .from(items)
    .where(eq(items.id, itemId))
    .get();
  if (!item) return null;
  const categories = tx
    .select({ category: reports.category })
    .from(reportUrls)
    .innerJoin(reports, eq(reports.id, reportUrls.reportId))
    .where(eq(reportUrls.itemId, itemId))
    .all()
    .map((r) => r.category);
  const labels = tx
    .select({ label: bankEntries.label })
    .from(itemMedia)
    .innerJoin(mediaMatches, eq(mediaMatches.mediaId, itemMedia.id))
    .innerJoin(bankEntries, eq(bankEntries.id, mediaMatches.bankEntryId))
    .where(eq(itemMedia.itemId, itemId))
    .all();
  const ranked = priority({
    now,
    firstReportedAt: item.firstReportedAt,
    reportCount: item.reportCount,
    categories,
    hostingCountry: item.hostingCountry,
    matchedLegalStatuses: labels.map((l) => parseLabel(l.label)?.legalStatus ?? null),
  });
  tx.update(items)
    .set({ priority: ranked.score, priorityReasons: JSON.stringify(ranked.reasons) })
    .where(eq(items.id, itemId))
    .run();
  return ranked;
}
