import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../db/client.ts';
import { bankEntries, bankImports } from '../db/schema/banks.ts';
import { insertBankEntries, relabelBankEntry } from './commands.ts';
import type { BankRow } from './rows.ts';

/**
 * The transactional steps of an import (see importBankFile): each takes its transaction and is
 * short, so the write lock is free between them. Until finishImport, the import's entries are
 * disabled; failImport deletes them, so a file is imported whole or not at all.
 */

/** Another import into the bank started after this one, which took it for crashed and failed it. */
export class ImportSupersededError extends Error {
  constructor(importId: number) {
    super(`import ${importId} was failed by a later import into the same bank; nothing of it was kept`);
  }
}

/** A change to an entry the bank already holds, applied when the import completes. */
export interface Relabel {
  entryId: number;
  label: string;
  sourceRef: string | null;
}

/**
 * Registers a running import. An import of the same bank still running is taken for crashed (no
 * two imports of one bank run at once): it fails, and its disabled entries go.
 */
export function startImport(tx: Tx, bankId: number, format: string, now: number): number {
  const unfinished = tx
    .select({ id: bankImports.id })
    .from(bankImports)
    .where(and(eq(bankImports.bankId, bankId), eq(bankImports.status, 'running')))
    .all();
  for (const { id } of unfinished) failImport(tx, id, now);
  const [started] = tx
    .insert(bankImports)
    .values({ bankId, format, status: 'running', startedAt: now })
    .returning({ id: bankImports.id })
    .all();
  if (!started) throw new Error('the import was not registered');
  return started.id;
}

// Values per `IN (...)` list: well under SQLite's limit on bound parameters per statement.
const valuesPerLookup = 500;

/** Writes the batch's new entries, disabled; returns how many were new and the relabels of known ones. */
export function stageBatch(
  tx: Tx,
  run: { importId: number; bankId: number; now: number },
  rows: readonly BankRow[],
): { inserted: number; relabels: Relabel[] } {
  assertRunning(tx, run.importId);
  const known = knownEntries(tx, run.bankId, rows);
  const fresh: BankRow[] = [];
  const relabels: Relabel[] = [];
  for (const row of rows) {
    const entry = known.get(`${row.signalType}:${row.value}`);
    if (!entry) fresh.push(row);
    else if (entry.label !== row.label || entry.sourceRef !== row.sourceRef) {
      relabels.push({ entryId: entry.id, label: row.label, sourceRef: row.sourceRef });
    }
  }
  return { inserted: insertBankEntries(tx, run.bankId, fresh, run.now, run.importId), relabels };
}

/** The bank's entries with the (type, value) of any of the rows, by `type:value`. */
function knownEntries(tx: Tx, bankId: number, rows: readonly BankRow[]) {
  const known = new Map<string, { id: number; label: string; sourceRef: string | null }>();
  const rowsByType = new Map<BankRow['signalType'], BankRow[]>();
  for (const row of rows) {
    const typed = rowsByType.get(row.signalType);
    if (typed) typed.push(row);
    else rowsByType.set(row.signalType, [row]);
  }
  for (const [signalType, typed] of rowsByType) {
    for (let i = 0; i < typed.length; i += valuesPerLookup) {
      const values = typed.slice(i, i + valuesPerLookup).map((row) => row.value);
      const found = tx
        .select({
          id: bankEntries.id,
          value: bankEntries.value,
          label: bankEntries.label,
          sourceRef: bankEntries.sourceRef,
        })
        .from(bankEntries)
        .where(
          and(
            eq(bankEntries.signalType, signalType),
            inArray(bankEntries.value, values),
            eq(bankEntries.bankId, bankId),
          ),
        )
        .all();
      for (const { value, ...entry } of found) known.set(`${signalType}:${value}`, entry);
    }
  }
  return known;
}

/** Enables every entry of the import and applies its relabels, at once. */
export function finishImport(tx: Tx, importId: number, relabels: readonly Relabel[], now: number): void {
  assertRunning(tx, importId);
  tx.update(bankEntries).set({ enabled: true }).where(eq(bankEntries.importId, importId)).run();
  for (const { entryId, ...row } of relabels) relabelBankEntry(tx, entryId, row);
  tx.update(bankImports).set({ status: 'done', finishedAt: now }).where(eq(bankImports.id, importId)).run();
}

/** Deletes the entries of a running import (all still disabled) and marks it failed; a no-op once it is not running. */
export function failImport(tx: Tx, importId: number, now: number): void {
  if (!isRunning(tx, importId)) return;
  tx.delete(bankEntries).where(eq(bankEntries.importId, importId)).run();
  tx.update(bankImports).set({ status: 'failed', finishedAt: now }).where(eq(bankImports.id, importId)).run();
}

function isRunning(tx: Tx, importId: number): boolean {
  const found = tx.select({ status: bankImports.status }).from(bankImports).where(eq(bankImports.id, importId)).get();
  return found?.status === 'running';
}

function assertRunning(tx: Tx, importId: number): void {
  if (!isRunning(tx, importId)) throw new ImportSupersededError(importId);
}
