import { and, inArray, isNotNull, sql } from 'drizzle-orm';
import { auditKey } from '../audit/chain.ts';
import { auditedTransaction, recordAuditEvent } from '../audit/record.ts';
import type { Config } from '../config.ts';
import type { Db, DbOrTx, Tx } from '../db/client.ts';
import { reports, reportUrls } from '../db/schema/intake.ts';
import { closedReportIds } from './closed-reports.ts';

const dayMs = 86_400_000;
/** Ids per statement: far under SQLite's limit on bound variables. */
const batchSize = 500;

/**
 * What a purge removes, per report: the description, the contact address (and the language kept
 * with it), the receipt (its hash, so a receipt can no longer be checked), and the addresses as the
 * reporter typed them. What statistics are computed from stays: category, site and media type,
 * the minute it arrived, its items.
 */
export interface PurgeCounts {
  reports: number;
  descriptions: number;
  contacts: number;
  receipts: number;
  typedAddresses: number;
}

export interface PurgeOutcome {
  applied: boolean;
  /** Reports closed at or before this time are purged. */
  cutoff: number;
  counts: PurgeCounts;
}

function batches(ids: number[]): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < ids.length; i += batchSize) out.push(ids.slice(i, i + batchSize));
  return out;
}

function countIn(db: DbOrTx, ids: number[]): PurgeCounts {
  const counts: PurgeCounts = {
    reports: ids.length,
    descriptions: 0,
    contacts: 0,
    receipts: ids.length,
    typedAddresses: 0,
  };
  const count = (query: { get(): { n: number } | undefined }) => query.get()?.n ?? 0;
  for (const batch of batches(ids)) {
    const n = sql<number>`count(*)`.as('n');
    counts.descriptions += count(
      db
        .select({ n })
        .from(reports)
        .where(and(inArray(reports.id, batch), isNotNull(reports.description))),
    );
    counts.contacts += count(
      db
        .select({ n })
        .from(reports)
        .where(and(inArray(reports.id, batch), isNotNull(reports.contactCiphertext))),
    );
    counts.typedAddresses += count(db.select({ n }).from(reportUrls).where(inArray(reportUrls.reportId, batch)));
  }
  return counts;
}

/** Removes the personal fields of `ids`, in the caller's transaction. */
function purgeReports(tx: Tx, ids: number[], now: number): void {
  for (const batch of batches(ids)) {
    tx.update(reports)
      .set({
        description: null,
        contactCiphertext: null,
        lang: null,
        // The column is unique and required: a value no receipt can hash to.
        receiptHash: sql`'purged:' || ${reports.id}`,
        purgedAt: now,
      })
      .where(inArray(reports.id, batch))
      .run();
    tx.update(reportUrls).set({ input: '' }).where(inArray(reportUrls.reportId, batch)).run();
  }
}

export const retentionCutoff = (now: number, retentionDays: number) => now - retentionDays * dayMs;

/** Purges, in the caller's transaction, every report closed more than `retentionDays` ago, with one audit event holding the counts. */
function purgeInTransaction(tx: Tx, config: Pick<Config, 'hashKey' | 'retentionDays'>, now: number) {
  const cutoff = retentionCutoff(now, config.retentionDays);
  const ids = closedReportIds(tx, cutoff);
  const counts = countIn(tx, ids);
  purgeReports(tx, ids, now);
  if (ids.length > 0) {
    recordAuditEvent(tx, auditKey(config), {
      at: now,
      actor: 'system',
      action: 'retention.purge',
      objectType: 'reports',
      details: { cutoff, ...counts },
    });
  }
  return { applied: true, cutoff, counts } satisfies PurgeOutcome;
}

/**
 * The purge of `hotline purge` and of the daily job. `apply: false` counts what a purge would
 * remove and changes nothing. Applied, the freed space is
 * already zeroed (secure_delete) and the write-ahead log is checkpointed and truncated, so the old
 * content is in neither file.
 */
export function purgeExpiredReports(
  db: Db,
  config: Pick<Config, 'hashKey' | 'retentionDays'>,
  options: { now: number; apply: boolean },
): PurgeOutcome {
  if (!options.apply) {
    const cutoff = retentionCutoff(options.now, config.retentionDays);
    return { applied: false, cutoff, counts: countIn(db, closedReportIds(db, cutoff)) };
  }
  const outcome = auditedTransaction(db, (tx) => purgeInTransaction(tx, config, options.now));
  db.all(sql`pragma wal_checkpoint(TRUNCATE)`);
  return outcome;
}
