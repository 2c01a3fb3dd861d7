import { md5 } from '../../signals/types/md5.ts';
import { sha1 } from '../../signals/types/sha1.ts';
import { formatLabel, isProjectVicCategory, labelFromProjectVic } from '../../taxonomy/taxonomy.ts';
import type { BankRow, ParseError, ParseResult } from '../rows.ts';

/**
 * A Project VIC (VICS 1.x / 2.0) JSON file: an OData document whose top-level `value` array holds
 * either Media records (a hash set, `...$metadata#Media`) or cases, each with its `Media` array
 * (`...$metadata#Cases`). Each record gives an `MD5` and/or `SHA1` (VICS writes them in upper case)
 * and a `Category` 0..3, which becomes our label. Bad records are reported with the line on which
 * they start and skipped.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const vicsHashes = [
  { key: 'MD5', type: md5 },
  { key: 'SHA1', type: sha1 },
] as const;

export function parseVicsJson(text: string): ParseResult {
  const source = text.replace(/^\uFEFF/, '');
  let document: Json;
  try {
    document = JSON.parse(source) as Json;
  } catch (error) {
    return { rows: [], errors: [{ line: 1, message: `not JSON: ${(error as Error).message}` }] };
  }
  if (!isObject(document) || !Array.isArray(document.value)) {
    return { rows: [], errors: [{ line: 1, message: 'not a VICS document: no top-level "value" array' }] };
  }
  const lineOf = recordLines(source, document);
  const rows: BankRow[] = [];
  const errors: ParseError[] = [];
  for (const record of mediaRecords(document.value)) {
    const line = lineOf(record);
    const result = isObject(record) ? rowsOfMedia(record, line) : 'a Media record must be an object';
    if (typeof result === 'string') errors.push({ line, message: result });
    else rows.push(...result);
  }
  return { rows, errors };
}

/** The Media records of a hash set, or of every case. */
function mediaRecords(value: Json[]): Json[] {
  return value.flatMap((element) => (isObject(element) && Array.isArray(element.Media) ? element.Media : [element]));
}

function rowsOfMedia(record: JsonObject, line: number): BankRow[] | string {
  const id = typeof record.MediaID === 'number' || typeof record.MediaID === 'string' ? String(record.MediaID) : null;
  const named = (message: string) => (id === null ? message : `MediaID ${id}: ${message}`);
  // Some exporters write the category as a string of digits.
  const category =
    typeof record.Category === 'string' && /^\d+$/.test(record.Category) ? Number(record.Category) : record.Category;
  if (!isProjectVicCategory(category)) return named(`Category ${JSON.stringify(record.Category ?? null)} is not 0..3`);
  const label = formatLabel(labelFromProjectVic(category));
  const rows: BankRow[] = [];
  for (const { key, type } of vicsHashes) {
    const value = record[key];
    if (value === undefined || value === null || value === '') continue;
    const normalised = typeof value === 'string' ? type.normalise(value) : null;
    if (!normalised || 'problem' in normalised) return named(`${key} must be ${type.bits / 4} hex digits`);
    rows.push({ line, signalType: type.name, value: normalised.value, label, sourceRef: id });
  }
  return rows.length > 0 ? rows : named('no MD5 or SHA1');
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The line on which each object of the parsed document starts. Objects are numbered in document
 * order both in the text (each `{` outside a string) and in a walk of the parsed value; where the
 * two counts disagree (duplicate keys), lines cannot be trusted and every record gets line 1.
 */
function recordLines(text: string, document: Json): (record: Json) => number {
  const starts = objectStartLines(text);
  const ordinal = new Map<Json, number>();
  const walk = (value: Json) => {
    if (Array.isArray(value)) for (const element of value) walk(element);
    else if (isObject(value)) {
      ordinal.set(value, ordinal.size);
      for (const child of Object.values(value)) walk(child);
    }
  };
  walk(document);
  const trusted = ordinal.size === starts.length;
  return (record) => (trusted ? (starts[ordinal.get(record) ?? -1] ?? 1) : 1);
}

function objectStartLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) line++;
    else if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b) lines.push(line);
  }
  return lines;
}
