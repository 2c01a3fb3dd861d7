import type { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { type Db, type Tx, writeTransaction } from '../db/client.ts';
import { checkBankName } from './bank-name.ts';
import { createBank } from './commands.ts';
import { parseBankCsv } from './formats/csv.ts';
import { parseVicsJson } from './formats/vics.ts';
import { failImport, finishImport, type Relabel, stageBatch, startImport } from './import-steps.ts';
import { isOwnBank, OwnBankImportError } from './own-bank.ts';
import { findBank } from './queries.ts';
import { distinctRows, type ParseError, type ParseResult } from './rows.ts';

export const importFormats = ['csv', 'vics'] as const;
export type ImportFormat = (typeof importFormats)[number];

/** What an import reads: the file's text, or a stream of it (read as it arrives where the format allows). */
export type BankFileContent = string | Readable;

const parsers: Record<ImportFormat, (content: BankFileContent) => Promise<ParseResult>> = {
  csv: parseBankCsv,
  // A JSON document is parsed whole.
  vics: async (content) => parseVicsJson(typeof content === 'string' ? content : await text(content)),
};

/** Rows per transaction: a few tens of milliseconds of write lock, far below the 5 s others wait for it. */
export const importBatchSize = 5_000;

export interface ImportSummary {
  bank: string;
  bankCreated: boolean;
  /** A disabled bank takes the entries but matches none of them until it is enabled. */
  bankEnabled: boolean;
  /** Good rows read from the file (each (type, value) once). */
  rows: number;
  /** Rows new to the bank. */
  inserted: number;
  /** Rows the bank held with another label or source reference, now updated. */
  relabelled: number;
  /** Good rows that changed nothing: held as they are, or repeating an earlier row of the file. */
  duplicates: number;
  /** Bad rows, skipped; a row contradicting an earlier one for the same value is one of them. */
  errors: ParseError[];
}

/**
 * Imports a partner list into the named bank, creating the bank when missing; bad rows are reported
 * by line and skipped. The good rows are written in short transactions, disabled, and enabled
 * together at the end, so intake and the worker keep writing meanwhile and the file is taken whole
 * or not at all. A file without one good row changes nothing. Refuses the bank of our own assessments
 * and, for a bank it would create, a bad name (BankNameError). `record` writes what the caller keeps
 * of the import (its audit event) in the transaction that enables the entries, so both commit or
 * neither does; for a file without a good row, in a transaction of its own.
 */
export async function importBankFile(
  db: Db,
  input: {
    bank: string;
    format: ImportFormat;
    content: BankFileContent;
    now: number;
    record?: (tx: Tx, summary: ImportSummary) => void;
  },
): Promise<ImportSummary> {
  const record = input.record ?? (() => {});
  if (isOwnBank(input.bank)) throw new OwnBankImportError();
  // A bank this import would create: its name is checked before the file is read.
  if (findBank(db, input.bank) === null) checkBankName(input.bank);
  const parsed = await parsers[input.format](input.content);
  const { rows, repeats, conflicts } = distinctRows(parsed.rows);
  // In index order, each batch writes a narrow range of the (type, value) index: a few pages per
  // commit rather than one page per row scattered over it (5x faster on 500k rows).
  rows.sort((a, b) => compare(a.signalType, b.signalType) || compare(a.value, b.value));
  const errors = [...parsed.errors, ...conflicts].sort((a, b) => a.line - b.line);
  const summary = { bank: input.bank, rows: rows.length, duplicates: repeats, errors };
  if (rows.length === 0) {
    return writeTransaction(db, (tx) => {
      const bankEnabled = findBank(tx, input.bank)?.enabled ?? true;
      const nothing = { ...summary, bankCreated: false, bankEnabled, inserted: 0, relabelled: 0 };
      record(tx, nothing);
      return nothing;
    });
  }
  const { bankId, bankCreated, bankEnabled, importId } = writeTransaction(db, (tx) => {
    const existing = findBank(tx, input.bank);
    const bankId = existing?.id ?? createBank(tx, { name: input.bank }, input.now);
    const importId = startImport(tx, bankId, input.format, input.now);
    return { bankId, bankCreated: existing === null, bankEnabled: existing?.enabled ?? true, importId };
  });
  const run = { importId, bankId, now: input.now };
  let inserted = 0;
  const relabels: Relabel[] = [];
  const done = (): ImportSummary => ({
    ...summary,
    bankCreated,
    bankEnabled,
    inserted,
    relabelled: relabels.length,
    duplicates: rows.length - inserted - relabels.length + repeats,
  });
  try {
    for (let i = 0; i < rows.length; i += importBatchSize) {
      // Between batches, let this process's other work (a server's requests) write too.
      await nextTurn();
      const batch = writeTransaction(db, (tx) => stageBatch(tx, run, rows.slice(i, i + importBatchSize)));
      inserted += batch.inserted;
      relabels.push(...batch.relabels);
    }
    return writeTransaction(db, (tx) => {
      finishImport(tx, importId, relabels, input.now);
      const finished = done();
      record(tx, finished);
      return finished;
    });
  } catch (error) {
    try {
      writeTransaction(db, (tx) => failImport(tx, importId, input.now));
    } catch {
      // The first error is the one to report; the next import into the bank removes the entries.
    }
    throw error;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
