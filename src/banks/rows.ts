import type { SignalType } from '../db/schema/banks.ts';

/** One bank entry read from an import file, before it is stored. */
export interface BankRow {
  /** Where the entry was read, for messages. */
  line: number;
  signalType: SignalType;
  /** Lowercase hex. */
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

export const hexDigits: Record<SignalType, number> = { pdq: 64, blockhash: 64, sha256: 64, sha1: 40, md5: 32 };

/** Why `value` is not a valid `type` signal, or null when it is. */
export function signalValueProblem(type: SignalType, value: string): string | null {
  const digits = hexDigits[type];
  if (value.length !== digits) return `${type} value must be ${digits} hex digits, got ${value.length} characters`;
  if (/^[0-9a-f]+$/.test(value)) return null;
  if (/^[0-9a-fA-F]+$/.test(value)) return `${type} value must be lowercase hex`;
  return `${type} value is not hex`;
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
