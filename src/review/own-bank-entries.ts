import { eq } from 'drizzle-orm';
import { createBank, insertBankEntries } from '../banks/commands.ts';
import { OWN_BANK_NAME } from '../banks/own-bank.ts';
import { findBank } from '../banks/queries.ts';
import type { BankRow } from '../banks/rows.ts';
import type { Tx } from '../db/client.ts';
import type { SignalType } from '../db/schema/banks.ts';
import { itemMedia } from '../db/schema/triage.ts';

const assessmentRefPrefix = 'assessment:';

/** The assessment an own-bank entry came from, read back from its source (null for any other source). */
export function sourceAssessmentOf(sourceRef: string | null): number | null {
  const id = sourceRef?.startsWith(assessmentRefPrefix)
    ? /^\d{1,15}(?=\s|$)/.exec(sourceRef.slice(assessmentRefPrefix.length))
    : null;
  return id ? Number(id[0]) : null;
}

const bankedSignals: readonly SignalType[] = ['sha256', 'sha1', 'md5', 'pdq', 'blockhash'];

/**
 * Writes every signal of every medium of a confirmed item into our own `hotline` bank with the
 * confirmed label, so triage recognises the same content (re-encoded or resized: the perceptual
 * hashes) from then on. The entry's source names the assessment and the confirming user. Returns
 * how many entries were new (a signal the bank already holds keeps its first assessment).
 */
export function bankConfirmedItem(
  tx: Tx,
  confirmed: { itemId: number; label: string; assessmentId: number; confirmedBy: number; now: number },
): number {
  const bankId = findBank(tx, OWN_BANK_NAME)?.id ?? createBank(tx, { name: OWN_BANK_NAME }, confirmed.now);
  const sourceRef = `${assessmentRefPrefix}${confirmed.assessmentId} confirmed_by:user:${confirmed.confirmedBy}`;
  const media = tx.select().from(itemMedia).where(eq(itemMedia.itemId, confirmed.itemId)).all();
  const rows: BankRow[] = media.flatMap((medium) =>
    bankedSignals.flatMap((signalType) => {
      const value = medium[signalType];
      return value ? [{ line: medium.position, signalType, value, label: confirmed.label, sourceRef }] : [];
    }),
  );
  return insertBankEntries(tx, bankId, rows, confirmed.now);
}
