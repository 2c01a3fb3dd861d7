import { auditKey, userActor } from '../audit/chain.ts';
import { auditedTransaction, recordAuditEvent } from '../audit/record.ts';
import { type ImportSummary, importBankFile } from '../banks/import.ts';
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
  auditedTransaction(deps.db, (tx) =>
    recordAuditEvent(tx, auditKey(deps.config), {
      at: now,
      actor: userActor(userId),
      action: 'bank.import',
      objectType: 'bank',
      objectId: bank,
      details: {
        format,
        rows: summary.rows,
        inserted: summary.inserted,
        relabelled: summary.relabelled,
        errors: summary.errors.length,
      },
    }),
  );
  return { ...summary, format };
}
