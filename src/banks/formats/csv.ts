import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type CsvError, parse } from 'csv-parse';
import { isSignalType, signalType, signalTypes } from '../../signals/types/index.ts';
import { parseLabel } from '../../taxonomy/taxonomy.ts';
import { type BankRow, type ParseError, type ParseResult, unknownLabelMessage } from '../rows.ts';

/**
 * A bank list as CSV (RFC 4180, read by csv-parse as it streams in): the header
 * `signal_type,value,label,source`, then one entry a line. Fields may be double-quoted (with `""`
 * for a quote) but not span lines, so every entry has one line number. Blank lines are skipped;
 * every other bad line is reported and skipped. A quoting error csv-parse cannot recover from (a
 * closing quote followed by something else, a quote never closed) ends the reading there: the
 * entries before it are kept, and the error says the rest was not read.
 */
export const csvHeader = 'signal_type,value,label,source';

/** Quoting errors after which csv-parse reads the following lines as part of the bad field. */
const unrecoverable = new Set(['CSV_INVALID_CLOSING_QUOTE', 'CSV_QUOTE_NOT_CLOSED']);

export async function parseBankCsv(content: string | Readable): Promise<ParseResult> {
  const rows: BankRow[] = [];
  const errors: ParseError[] = [];
  /** The line of an unrecoverable quoting error: what ends after it is not an entry. */
  let stoppedAt = null as { line: number; code: string } | null;
  let lastLine = 0;
  let header = 'unread' as 'unread' | 'good' | 'bad';
  // Each record is taken as it is parsed (on_record), not read back from the stream: a third of the time.
  const parser = parse({
    bom: true,
    record_delimiter: ['\r\n', '\n'],
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_record: (record: string[], { lines }) => {
      if (stoppedAt && lines >= stoppedAt.line) return null;
      if (header === 'unread') {
        header = record.join(',') === csvHeader ? 'good' : 'bad';
        // Not a bank list: nothing more of it is read.
        if (header === 'bad') parser.destroy();
      } else {
        const line = lines - newlinesIn(record);
        const result = line === lines ? parseEntry(record, line) : 'a field spans lines';
        if (typeof result === 'string') errors.push({ line, message: result });
        else rows.push(result);
      }
      lastLine = lines;
      return null;
    },
  });
  parser.on('skip', (error: CsvError) => {
    const line = Number(error.lines);
    if (!unrecoverable.has(error.code)) errors.push({ line, message: `malformed quoting (${error.code})` });
    else stoppedAt ??= { line, code: error.code };
  });
  try {
    await pipeline(typeof content === 'string' ? Readable.from([content]) : content, parser.resume());
  } catch (error) {
    if (header !== 'bad') throw error;
  }
  if (header !== 'good') return { rows: [], errors: [{ line: 1, message: `expected the header ${csvHeader}` }] };
  if (stoppedAt) errors.push(stopError(stoppedAt, lastLine));
  errors.sort((a, b) => a.line - b.line);
  return { rows, errors };
}

function stopError(stop: { line: number; code: string }, lastLine: number): ParseError {
  // csv-parse finds a quote never closed at the end of the file: it opened after the last entry.
  return stop.code === 'CSV_QUOTE_NOT_CLOSED'
    ? {
        line: lastLine + 1,
        message: `a quote after line ${lastLine} is never closed; the rest of the file was not read`,
      }
    : { line: stop.line, message: `malformed quoting (${stop.code}); the rest of the file was not read` };
}

/** The entry of one record, or why it is not one. */
function parseEntry(fields: string[], line: number): BankRow | string {
  if (fields.length !== 4) return `expected 4 fields, got ${fields.length}`;
  const [type = '', value = '', label = '', source = ''] = fields;
  if (!isSignalType(type)) return `unknown signal_type "${type}" (one of ${signalTypes.join(', ')})`;
  const normalised = signalType(type).normalise(value);
  if ('problem' in normalised) return normalised.problem;
  if (!parseLabel(label)) return unknownLabelMessage(label);
  return { line, signalType: type, value: normalised.value, label, sourceRef: source === '' ? null : source };
}

function newlinesIn(fields: string[]): number {
  let count = 0;
  for (const field of fields) for (const c of field) if (c === '\n') count++;
  return count;
}
