import { type AuditActor, auditKey, userActor } from '../audit/chain.ts';
import { recordAuditEvent } from '../audit/record.ts';
import { type ImportFormat, type ImportSummary, importBankFile } from '../banks/import.ts';
import { OwnBankImportError } from '../banks/own-bank.ts';
import type { Tx } from '../db/client.ts';
import { Conflict } from '../errors.ts';
import { bankFileFormat } from './bank-upload.ts';
import type { ReviewDeps } from './claims.ts';

/**
 * Imports an uploaded partner list (format told from its content) and audits the import with its
 * counts. The import writes in short batches of its own (src/banks/import.ts); its audit event is
 * written in the last of them, the one that enables the entries.
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
    summary = await importBankFile(deps.db, {
      bank,
      format,
      content: text,
      now,
      record: bankImportAudit(deps, userActor(userId), format, now),
    });
  } catch (error) {
    if (error instanceof OwnBankImportError) throw new Conflict('own_bank');
    throw error;
  }
  return { ...summary, format };
}

/**
 * The audit event of an import (by upload or by `hotline bank import`) with its counts: the
 * `record` of importBankFile, written in the import's enabling transaction.
 */
export function bankImportAudit(
  deps: ReviewDeps,
  actor: AuditActor,
  format: ImportFormat,
  now: number,
): (tx: Tx, summary: ImportSummary) => void {
  return (tx, summary) => {
    recordAuditEvent(tx, auditKey(deps.config), {
      at: now,
      actor,
      action: 'bank.import',
      objectType: 'bank',
      objectId: summary.bank,
      details: {
        format,
        bankCreated: summary.bankCreated,
        rows: summary.rows,
        inserted: summary.inserted,
        relabelled: summary.relabelled,
        errors: summary.errors.length,
      },
    });
  };
}
