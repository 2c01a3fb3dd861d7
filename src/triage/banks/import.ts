import type { Db } from '../../db/client.ts';
import { createBank, insertBankEntries } from './commands.ts';
import { parseBankCsv } from './csv.ts';
import { findBankId } from './queries.ts';
import type { ParseError, ParseResult } from './rows.ts';
import { parseVicsJson } from './vics.ts';

export const importFormats = ['csv', 'vics'] as const;
export type ImportFormat = (typeof importFormats)[number];

const parsers: Record<ImportFormat, (text: string) => ParseResult> = { csv: parseBankCsv, vics: parseVicsJson };

export interface ImportSummary {
  bank: string;
  bankCreated: boolean;
  /** Good rows read from the file. */
  rows: number;
  /** Rows new to the bank. */
  inserted: number;
  /** Good rows the bank already held (or that repeat an earlier row of the file). */
  duplicates: number;
  /** Bad rows, skipped. */
  errors: ParseError[];
}

/**
 * Imports a bank list into the named bank, creating the bank when missing: the good rows go in
 * one transaction, the bad ones are reported by line. A file without one good row changes nothing.
 * Owns its transaction.
 */
export function importBankFile(
  db: Db,
  input: { bank: string; format: ImportFormat; text: string; now: number },
): ImportSummary {
  const { rows, errors } = parsers[input.format](input.text);
  if (rows.length === 0) {
    return { bank: input.bank, bankCreated: false, rows: 0, inserted: 0, duplicates: 0, errors };
  }
  return db.transaction((tx) => {
    const existing = findBankId(tx, input.bank);
    const bankId = existing ?? createBank(tx, { name: input.bank, source: input.format }, input.now);
    const inserted = insertBankEntries(tx, bankId, rows, input.now);
    return {
      bank: input.bank,
      bankCreated: existing === null,
      rows: rows.length,
      inserted,
      duplicates: rows.length - inserted,
      errors,
    };
  });
}
