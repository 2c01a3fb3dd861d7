import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Invalid } from '../../src/errors.ts';
import { fieldErrors, parseOrFail } from '../../src/http/validation.ts';

const schema = z.strictObject({ name: z.string().min(3, 'error.name.short'), age: z.number() });
const errorsOf = (value: unknown, keyFor?: (field: string) => string) => {
  const result = schema.safeParse(value);
  if (result.success) throw new Error('expected a refusal');
  return fieldErrors(result.error, keyFor);
};

describe('fieldErrors', () => {
  it('gives each field one key: unknown fields, catalogue messages, then the caller or a generic key', () => {
    expect({ ...errorsOf({ name: 'x', age: 'old', extra: 1 }) }).toEqual({
      name: 'error.name.short',
      age: 'error.field.invalid',
      extra: 'error.field.unknown',
    });
    expect(errorsOf({ name: 'long enough' }, (field) => `error.${field}.missing`).age).toBe('error.age.missing');
  });

  it('treats a __proto__ field as a field', () => {
    const fields = errorsOf(JSON.parse('{"name":"long enough","age":1,"__proto__":{"x":1}}'));
    expect(Object.keys(fields)).toEqual(['__proto__']);
  });
});

describe('parseOrFail', () => {
  it('returns the parsed value, or throws Invalid naming the fields', () => {
    expect(parseOrFail(schema, { name: 'long enough', age: 3 })).toEqual({ name: 'long enough', age: 3 });
    try {
      parseOrFail(schema, { name: 'x', age: 3 });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(Invalid);
      expect((error as Invalid).fields).toEqual({ name: 'error.name.short' });
    }
  });
});
