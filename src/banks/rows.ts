import type { SignalType } from '../signals/types/index.ts';
import { contentCategories, legalStatuses } from '../taxonomy/taxonomy.ts';

/** One bank entry read from an import file, before it is stored. */
export interface BankRow {
  /** Where the entry was read, for messages. */
  line: number;
  signalType: SignalType;
  /** Normalised by its signal type (lowercase hex). */
  value: string;
  /** A label of the taxonomy, in its text form (see formatLabel). */
  label: string;
  sourceRef: string | null;
}

export interface ParseError {
  line: number;
  message: string;
}

/** What an import parser returns: the good rows, and why each bad one was skipped. */
export interface ParseResult {
  rows: BankRow[];
  errors: ParseError[];
}

/** Why a label is refused, naming the labels that are known: an operator fixes the file from it. */
export function unknownLabelMessage(label: string): string {
  return (
    `unknown label "${label}": a legal status (${legalStatuses.join(', ')}), a content category ` +
    `(${contentCategories.join(', ')}), or both as legal/content (national/real_abuse)`
  );
}

/** The rows of one file with each (type, value) once, and the later rows that contradict an earlier one. */
export interface DistinctRows {
  rows: BankRow[];
  /** Later rows identical to an earlier one. */
  repeats: number;
  conflicts: ParseError[];
}

/** Keeps the first row of each (type, value): a later identical row is a repeat, a different one a conflict. */
export function distinctRows(rows: readonly BankRow[]): DistinctRows {
  const first = new Map<string, BankRow>();
  const conflicts: ParseError[] = [];
  let repeats = 0;
  for (const row of rows) {
    const key = `${row.signalType}:${row.value}`;
    const earlier = first.get(key);
    if (!earlier) first.set(key, row);
    else if (earlier.label === row.label && earlier.sourceRef === row.sourceRef) repeats++;
    else {
      const message = `${row.signalType} ${row.value} conflicts with line ${earlier.line} (label ${earlier.label}, source ${earlier.sourceRef ?? 'none'}); the first is kept`;
      conflicts.push({ line: row.line, message });
    }
  }
  return { rows: [...first.values()], repeats, conflicts };
}
