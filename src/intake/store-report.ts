import { eq, getTableName, sql } from 'drizzle-orm';
import type { SealedPlace } from '../crypto/seal.ts';
import type { Tx } from '../db/client.ts';
import { preparedOnce } from '../db/prepared.ts';
import { items, reports, reportUrls } from '../db/schema/intake.ts';
import { enqueueJob, requeueJob } from '../jobs/queue.ts';
import { startOfMinute } from '../minute.ts';
import { statusDelayAtArrival } from '../review/reporter-status.ts';
import { recomputeItemPriority } from '../triage/item-priority.ts';
import type { CanonicalUrl } from '../urls/canonical-url.ts';
import { withoutTrackingParams } from '../urls/tracking-params.ts';
import type { ReportSubmission } from './schema.ts';

export interface ReportedAddress {
  /** The address as the reporter gave it. */
  input: string;
  canonical: CanonicalUrl;
  /** What triage fetches (see fetchAddress). */
  fetchUrl: string;
}

/** Where a report's contact address is sealed: it opens only in that report's row. */
export const contactPlace = (reportId: number): SealedPlace => ({
  table: getTableName(reports),
  column: reports.contactCiphertext.name,
  rowId: reportId,
});

export interface ReportToStore {
  submission: Omit<ReportSubmission, 'urls' | 'contact'>;
  addresses: ReportedAddress[];
  receiptHash: string;
  /** Seals the contact address to its report's row (see contactPlace); absent without one. */
  sealContact: ((reportId: number) => string) | undefined;
  lang: string | null;
  now: number;
  /** When triage of the report's new items may start (see IntakeDeps.triageDelay). */
  triageNotBefore: number;
}

// Prepared once per connection (see preparedOnce): every report runs them, and building and
// preparing a drizzle query costs more than running it; under a flood that is most of intake's time.
const placeholder = <Name extends string>(name: Name) => sql`${sql.placeholder(name)}`;

const insertReport = preparedOnce((db) =>
  db
    .insert(reports)
    .values({
      receiptHash: placeholder('receiptHash'),
      category: placeholder('category'),
      siteType: placeholder('siteType'),
      mediaType: placeholder('mediaType'),
      description: placeholder('description'),
      lang: placeholder('lang'),
      receivedAt: placeholder('receivedAt'),
      ...statusDelayAtArrival,
    })
    .returning({ id: reports.id })
    .prepare(),
);

const storeContact = preparedOnce((db) =>
  db
    .update(reports)
    .set({ contactCiphertext: placeholder('contactCiphertext') })
    .where(eq(reports.id, sql.placeholder('reportId')))
    .prepare(),
);

const upsertItemRow = preparedOnce((db) =>
  db
    .insert(items)
    .values({
      dedupKey: placeholder('dedupKey'),
      canonicalUrl: placeholder('canonicalUrl'),
      url: placeholder('url'),
      host: placeholder('host'),
      registrableDomain: placeholder('registrableDomain'),
      firstReportedAt: placeholder('at'),
      lastReportedAt: placeholder('at'),
      reportCount: 1,
    })
    .onConflictDoUpdate({
      target: items.dedupKey,
      set: { lastReportedAt: placeholder('at'), reportCount: sql`${items.reportCount} + 1` },
    })
    .returning({ id: items.id, assessedAt: items.assessedAt, state: items.state })
    .prepare(),
);

const linkReportUrl = preparedOnce((db) =>
  db
    .insert(reportUrls)
    .values({
      reportId: placeholder('reportId'),
      itemId: placeholder('itemId'),
      position: placeholder('position'),
      input: placeholder('input'),
    })
    .prepare(),
);

/**
 * Writes one report: the report row, each address linked to its item (created when new, counted
 * once per report), a triage job for each item that has not been assessed yet, and the items'
 * priorities brought up to date.
 * Takes the caller's transaction: the receipt is shown only after it commits.
 */
export function storeReport(tx: Tx, report: ReportToStore): { reportId: number; itemIds: number[] } {
  const receivedAt = startOfMinute(report.now);
  const inserted = insertReport(tx).get({
    receiptHash: report.receiptHash,
    category: report.submission.category,
    siteType: report.submission.siteType,
    mediaType: report.submission.mediaType,
    description: report.submission.description ?? null,
    lang: report.lang,
    receivedAt,
  }) as { id: number };
  if (report.sealContact) {
    storeContact(tx).run({ contactCiphertext: report.sealContact(inserted.id), reportId: inserted.id });
  }

  const itemIdsByKey = new Map<string, number>();
  report.addresses.forEach((address, position) => {
    const key = address.canonical.dedupKey;
    let itemId = itemIdsByKey.get(key);
    if (itemId === undefined) {
      itemId = upsertItem(tx, address, receivedAt, report.triageNotBefore);
      itemIdsByKey.set(key, itemId);
    }
    linkReportUrl(tx).run({ reportId: inserted.id, itemId, position, input: address.input });
  });
  const itemIds = [...itemIdsByKey.values()];
  // Another report changes how urgent an item is: its count and its categories count in the score.
  for (const itemId of itemIds) recomputeItemPriority(tx, itemId, report.now);
  return { reportId: inserted.id, itemIds };
}

/**
 * Finds or creates the item of a dedupKey, counts this report, and triages it unless assessed:
 * a new item gets its job; one that was unreachable or failed is tried again, since content that was
 * down at the first report may be back.
 */
function upsertItem(tx: Tx, address: ReportedAddress, at: number, triageNotBefore: number): number {
  const { canonical } = address;
  const item = upsertItemRow(tx).get({
    dedupKey: canonical.dedupKey,
    canonicalUrl: withoutTrackingParams(canonical.canonical),
    url: address.fetchUrl,
    host: canonical.host,
    registrableDomain: canonical.registrableDomain,
    at,
  }) as { id: number; assessedAt: number | null; state: string };
  if (item.assessedAt !== null) return item.id;
  const idempotencyKey = `triage:item:${item.id}`;
  const job = { type: 'triage', payload: { itemId: item.id }, idempotencyKey, now: at, availableAt: triageNotBefore };
  const enqueued = enqueueJob(tx, job);
  if (!enqueued && (item.state === 'unreachable' || item.state === 'failed')) {
    requeueJob(tx, idempotencyKey, at, triageNotBefore);
  }
  return item.id;
}
