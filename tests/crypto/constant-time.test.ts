import { describe, expect, it } from 'vitest';
import { secretsEqual } from '../../src/crypto/constant-time.ts';

describe('secretsEqual', () => {
  it('is true only for identical strings, whatever their lengths', () => {
    expect(secretsEqual('abc', 'abc')).toBe(true);
    expect(secretsEqual('abc', 'abd')).toBe(false);
    expect(secretsEqual('abc', 'abcd')).toBe(false);
    expect(secretsEqual('', '')).toBe(true);
    expect(secretsEqual('é', 'e')).toBe(false);
  });
});
