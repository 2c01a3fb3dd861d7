import { and, eq, inArray, isNull, or } from 'drizzle-orm';
import type { Tx } from '../db/client.ts';
import { bankEntries, bankImports, banks } from '../db/schema/banks.ts';
import { TAXONOMY_VERSION } from '../taxonomy/taxonomy.ts';
import { checkBankName } from './bank-name.ts';
import { sourceOfNewBank } from './own-bank.ts';
import type { BankRow } from './rows.ts';

export interface NewBank {
  name: string;
  description?: string | null;
}

/**
 * Creates the bank, by `bank create` or by the first import into it alike: its source is `own` for
 * our assessments (the bank named `hotline`), else `partner`. Returns its id. Throws BankNameError
 * for a name of the wrong shape, and when the name is taken (unique constraint).
 */
export function createBank(tx: Tx, bank: NewBank, now: number): number {
  checkBankName(bank.name);
  const source = sourceOfNewBank(bank.name);
  const [created] = tx
    .insert(banks)
    .values({ name: bank.name, source, description: bank.description ?? null, createdAt: now })
    .returning({ id: banks.id })
    .all();
  if (!created) throw new Error(`bank ${bank.name} was not created`);
  return created.id;
}

// Nine columns a row: well under SQLite's limit on bound parameters per statement.
const rowsPerStatement = 500;

/**
 * Adds the rows to the bank, skipping any (type, value) the bank already holds. Entries of an
 * import are written disabled, marked with the import, and enabled when it completes. Returns how
 * many were new.
 */
export function insertBankEntries(
  tx: Tx,
  bankId: number,
  rows: readonly BankRow[],
  now: number,
  importId: number | null = null,
): number {
  let inserted = 0;
  for (let i = 0; i < rows.length; i += rowsPerStatement) {
    const values = rows.slice(i, i + rowsPerStatement).map((row) => ({
      bankId,
      signalType: row.signalType,
      value: row.value,
      label: row.label,
      taxonomyVersion: TAXONOMY_VERSION,
      sourceRef: row.sourceRef,
      addedAt: now,
      enabled: importId === null,
      importId,
    }));
    inserted += tx.insert(bankEntries).values(values).onConflictDoNothing().run().changes;
  }
  return inserted;
}

/** A new label (and partner reference) for an entry, when a partner list changed its mind. */
export function relabelBankEntry(tx: Tx, entryId: number, row: Pick<BankRow, 'label' | 'sourceRef'>): void {
  tx.update(bankEntries)
    .set({ label: row.label, sourceRef: row.sourceRef, taxonomyVersion: TAXONOMY_VERSION })
    .where(eq(bankEntries.id, entryId))
    .run();
}

/** Disables or re-enables the bank by name; takes effect for matching at once. False when there is no such bank. */
export function setBankEnabled(tx: Tx, name: string, enabled: boolean): boolean {
  return tx.update(banks).set({ enabled }).where(eq(banks.name, name)).run().changes > 0;
}

/**
 * Disables one entry (a false positive, a withdrawn assessment) or re-enables it. False when there
 * is no such entry, or when it belongs to an import that has not completed (that import decides).
 */
export function setBankEntryEnabled(tx: Tx, entryId: number, enabled: boolean): boolean {
  const completedImports = tx.select({ id: bankImports.id }).from(bankImports).where(eq(bankImports.status, 'done'));
  return (
    tx
      .update(bankEntries)
      .set({ enabled })
      .where(
        and(
          eq(bankEntries.id, entryId),
          or(isNull(bankEntries.importId), inArray(bankEntries.importId, completedImports)),
        ),
      )
      .run().changes > 0
  );
}
