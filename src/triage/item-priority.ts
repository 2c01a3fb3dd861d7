import { eq, sql } from 'drizzle-orm';
import type { Tx } from '../db/client.ts';
import { preparedOnce } from '../db/prepared.ts';
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
const itemFacts = preparedOnce((db) =>
  db
    .select({
      firstReportedAt: items.firstReportedAt,
      reportCount: items.reportCount,
      hostingCountry: items.hostingCountry,
    })
    .from(items)
    .where(eq(items.id, sql.placeholder('itemId')))
    .prepare(),
);

const reportCategories = preparedOnce((db) =>
  db
    .select({ category: reports.category })
    .from(reportUrls)
    .innerJoin(reports, eq(reports.id, reportUrls.reportId))
    .where(eq(reportUrls.itemId, sql.placeholder('itemId')))
    .prepare(),
);

const matchedLabels = preparedOnce((db) =>
  db
    .select({ label: bankEntries.label })
    .from(itemMedia)
    .innerJoin(mediaMatches, eq(mediaMatches.mediaId, itemMedia.id))
    .innerJoin(bankEntries, eq(bankEntries.id, mediaMatches.bankEntryId))
    .where(eq(itemMedia.itemId, sql.placeholder('itemId')))
    .prepare(),
);

const storePriority = preparedOnce((db) =>
  db
    .update(items)
    .set({ priority: sql`${sql.placeholder('score')}`, priorityReasons: sql`${sql.placeholder('reasons')}` })
    .where(eq(items.id, sql.placeholder('itemId')))
    .prepare(),
);

export function recomputeItemPriority(tx: Tx, itemId: number, now: number): Priority | null {
  const item = itemFacts(tx).get({ itemId });
  if (!item) return null;
  const categories = reportCategories(tx)
    .all({ itemId })
    .map((r) => r.category);
  const labels = matchedLabels(tx).all({ itemId });
  const ranked = priority({
    now,
    firstReportedAt: item.firstReportedAt,
    reportCount: item.reportCount,
    categories,
    hostingCountry: item.hostingCountry,
    matchedLegalStatuses: labels.map((l) => parseLabel(l.label)?.legalStatus ?? null),
  });
  storePriority(tx).run({ itemId, score: ranked.score, reasons: JSON.stringify(ranked.reasons) });
  return ranked;
}
