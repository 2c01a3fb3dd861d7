import { isSignalType, signalType, signalTypes } from '../../signals/types/index.ts';
import { parseLabel } from '../../taxonomy/taxonomy.ts';
import { type BankRow, type ParseError, type ParseResult, unknownLabelMessage } from '../rows.ts';

/**
 * A bank list as CSV: the header `signal_type,value,label,source`, then one entry a line. Fields may
 * be double-quoted (with `""` for a quote) but not span lines, so every entry has one line number.
 * Blank lines are skipped; every other bad line is reported and skipped.
 */
export const csvHeader = 'signal_type,value,label,source';

export function parseBankCsv(text: string): ParseResult {
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  const header = lines[0]?.replace(/\r$/, '');
  if (header !== csvHeader) {
    return { rows: [], errors: [{ line: 1, message: `expected the header ${csvHeader}` }] };
  }
  const rows: BankRow[] = [];
  const errors: ParseError[] = [];
  for (let i = 1; i < lines.length; i++) {
    const text = lines[i]!.replace(/\r$/, '');
    if (text.trim() === '') continue;
    const result = parseEntryLine(text, i + 1);
    if (typeof result === 'string') errors.push({ line: i + 1, message: result });
    else rows.push(result);
  }
  return { rows, errors };
}

/** The entry on one line, or why it is not one. */
function parseEntryLine(text: string, line: number): BankRow | string {
  const fields = splitCsvLine(text);
  if (!fields) return 'malformed quoting';
  if (fields.length !== 4) return `expected 4 fields, got ${fields.length}`;
  const [type = '', value = '', label = '', source = ''] = fields;
  if (!isSignalType(type)) return `unknown signal_type "${type}" (one of ${signalTypes.join(', ')})`;
  const normalised = signalType(type).normalise(value);
  if ('problem' in normalised) return normalised.problem;
  if (!parseLabel(label)) return unknownLabelMessage(label);
  return { line, signalType: type, value: normalised.value, label, sourceRef: source === '' ? null : source };
}

/** RFC 4180 fields of one line; null when a quote is unbalanced or followed by something else. */
export function splitCsvLine(line: string): string[] | null {
  const fields: string[] = [];
  let at = 0;
  for (;;) {
    if (line[at] === '"') {
      let field = '';
      let i = at + 1;
      for (;;) {
        const close = line.indexOf('"', i);
        if (close < 0) return null;
        field += line.slice(i, close);
        if (line[close + 1] !== '"') {
          i = close + 1;
          break;
        }
        field += '"';
        i = close + 2;
      }
      fields.push(field);
      if (i === line.length) return fields;
      if (line[i] !== ',') return null;
      at = i + 1;
    } else {
      const comma = line.indexOf(',', at);
      const field = line.slice(at, comma < 0 ? line.length : comma);
      if (field.includes('"')) return null;
      fields.push(field);
      if (comma < 0) return fields;
      at = comma + 1;
    }
  }
}
