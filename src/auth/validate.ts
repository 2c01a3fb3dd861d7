import type { z } from 'zod';
import { validationFailed } from '../http/errors.ts';

/**
 * Parses `value` with `schema` or throws a 400 `validation` error naming each bad field. An issue
 * whose message is a catalogue key (`error....`) keeps it; an unknown field gets
 * `error.field.unknown`; anything else the generic `error.field.invalid`.
 */
export function parseOrFail<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  // No prototype: a field named `__proto__` (a JSON body may have one) is a field like any other.
  const fields: Record<string, string> = Object.create(null);
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) fields[key] ??= 'error.field.unknown';
      continue;
    }
    const field = issue.path.map(String).join('.') || 'body';
    fields[field] ??= issue.message.startsWith('error.') ? issue.message : 'error.field.invalid';
  }
  throw validationFailed(fields);
}
