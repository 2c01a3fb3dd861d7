import { type AuditActor, auditKey, userActor } from '../audit/chain.ts';
import { auditedTransaction, recordAuditEvent } from '../audit/record.ts';
import { type ImportFormat, type ImportSummary, importBankFile } from '../banks/import.ts';
import { OwnBankImportError } from '../banks/own-bank.ts';
import { Conflict } from '../errors.ts';
import { bankFileFormat } from './bank-upload.ts';
import type { ReviewDeps } from './claims.ts';

/**
 * Imports an uploaded partner list (format told from its content) and audits the import with its
 * counts. The import writes in short batches of its own (src/banks/import.ts), so its audit event
 * follows it rather than sharing a transaction with it.
 */
export async function importUploadedBankFile(
  deps: ReviewDeps,
  userId: number,
  bank: string,
  bytes: Buffer,
): Promise<ImportSummary & { format: string }> {
  const { format, text } = bankFileFormat(bytes);
  const now = deps.now();
  let summary: ImportSummary;
  try {
    summary = await importBankFile(deps.db, { bank, format, content: text, now });
  } catch (error) {
    if (error instanceof OwnBankImportError) throw new Conflict('own_bank');
    throw error;
  }
  auditBankImport(deps, userActor(userId), { ...summary, format }, now);
  return { ...summary, format };
}

/** The audit event of a completed import (by upload or by `hotline bank import`), with its counts. */
export function auditBankImport(
  deps: ReviewDeps,
  actor: AuditActor,
  summary: ImportSummary & { format: ImportFormat },
  now: number,
): void {
  auditedTransaction(deps.db, (tx) =>
    recordAuditEvent(tx, auditKey(deps.config), {
      at: now,
      actor,
      action: 'bank.import',
      objectType: 'bank',
      objectId: summary.bank,
      details: {
        format: summary.format,
        bankCreated: summary.bankCreated,
        rows: summary.rows,
        inserted: summary.inserted,
        relabelled: summary.relabelled,
        errors: summary.errors.length,
      },
    }),
  );
}
