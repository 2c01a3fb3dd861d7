import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { bankEntries, banks } from '../../db/schema/banks.ts';
import type { BankRow } from './rows.ts';

export interface NewBank {
  name: string;
  /** `own` for our assessments, else the import format the entries come from. */
  source: string;
  description?: string | null;
}

/** Creates the bank; returns its id. Throws when the name is taken (unique constraint). */
export function createBank(tx: Tx, bank: NewBank, now: number): number {
  const [created] = tx
    .insert(banks)
    .values({ name: bank.name, source: bank.source, description: bank.description ?? null, createdAt: now })
    .returning({ id: banks.id })
    .all();
  if (!created) throw new Error(`bank ${bank.name} was not created`);
  return created.id;
}

// Seven columns a row: well under SQLite's limit on bound parameters per statement.
const rowsPerStatement = 500;

/**
 * Adds the rows to the bank, skipping any (type, value) the bank already holds, so importing the
 * same list twice adds nothing. Returns how many were new.
 */
export function insertBankEntries(tx: Tx, bankId: number, rows: readonly BankRow[], now: number): number {
  let inserted = 0;
  for (let i = 0; i < rows.length; i += rowsPerStatement) {
    const values = rows.slice(i, i + rowsPerStatement).map((row) => ({
      bankId,
      signalType: row.signalType,
      value: row.value,
      label: row.label,
      sourceRef: row.sourceRef,
      addedAt: now,
    }));
    inserted += tx.insert(bankEntries).values(values).onConflictDoNothing().run().changes;
  }
  return inserted;
}

/** Disables the bank by name: none of its entries match from now on. False when there is no such bank. */
export function disableBank(tx: Tx, name: string): boolean {
  return tx.update(banks).set({ enabled: false }).where(eq(banks.name, name)).run().changes > 0;
}

/** Disables one entry (a false positive, a withdrawn assessment). False when there is no such entry. */
export function disableBankEntry(tx: Tx, entryId: number): boolean {
  return tx.update(bankEntries).set({ enabled: false }).where(eq(bankEntries.id, entryId)).run().changes > 0;
}
