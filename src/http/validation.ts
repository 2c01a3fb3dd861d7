import { z } from 'zod';
import { Invalid } from '../errors.ts';

type Issue = z.core.$ZodIssue;

/**
 * Maps zod issues to one message key per field, the first problem of each field winning: an
 * unknown field gets `error.field.unknown`, an issue whose message is already a catalogue key
 * (`error....`) keeps it, anything else what `keyFor` says (by default `error.field.invalid`).
 */
export function fieldErrors(
  error: z.ZodError,
  keyFor: (field: string, issue: Issue) => string = () => 'error.field.invalid',
): Record<string, string> {
  // No prototype: a field named `__proto__` (a JSON body may have one) is a field like any other.
  const fields: Record<string, string> = Object.create(null);
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) fields[key] ??= 'error.field.unknown';
      continue;
    }
    const field = String(issue.path[0] ?? 'body');
    fields[field] ??= issue.message.startsWith('error.') ? issue.message : keyFor(field, issue);
  }
  return fields;
}

/** Parses `value` with `schema` or throws `Invalid` naming each bad field. */
export function parseOrFail<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new Invalid(fieldErrors(result.error));
}

const tab = 0x09;
const lineFeed = 0x0a;
const carriageReturn = 0x0d;

/**
 * Whether `value` is well-formed Unicode (no lone surrogate, which SQLite would store as invalid
 * UTF-8) without control characters (C0, DEL, C1); a multi-line text may hold tabs and line breaks.
 */
export function isCleanText(value: string, multiline = false): boolean {
  for (const character of value) {
    const code = character.codePointAt(0) ?? 0;
    if (code >= 0xd800 && code <= 0xdfff) return false;
    const control = code < 0x20 || (code >= 0x7f && code <= 0x9f);
    if (control && !(multiline && (code === tab || code === lineFeed || code === carriageReturn))) return false;
  }
  return true;
}

/** A string of clean text (see isCleanText); a refusal names its field with `error.text.invalid`. */
export const cleanText = (options: { multiline?: boolean } = {}) =>
  z.string().refine((value) => isCleanText(value, options.multiline), { message: 'error.text.invalid' });

/**
 * A row id as it appears in a path or query: plain decimal digits, no sign, no leading zero, no
 * space, no hex or exponent, so each id has exactly one spelling.
 */
export const positiveIdSchema = z
  .string()
  .regex(/^[1-9]\d{0,15}$/)
  .transform(Number)
  .pipe(z.number().max(Number.MAX_SAFE_INTEGER));

/** How many rows a page of a list holds (`?limit=`): 1 to 200, 50 when absent. */
export const pageLimitSchema = z
  .string()
  .regex(/^[1-9]\d{0,2}$/)
  .transform(Number)
  .pipe(z.number().max(200))
  .default(50);
