import { describe, expect, it } from 'vitest';
import { hammingDistanceHex } from '../../src/signals/hamming.ts';

describe('hammingDistanceHex', () => {
  it('counts the differing bits', () => {
    expect(hammingDistanceHex('0000', '0000')).toBe(0);
    expect(hammingDistanceHex('0000', 'ffff')).toBe(16);
    expect(hammingDistanceHex('f0f0', '0ff0')).toBe(8);
    expect(hammingDistanceHex('8001', '0000')).toBe(2);
    expect(hammingDistanceHex('0'.repeat(64), 'f'.repeat(64))).toBe(256);
  });

  it('is case-insensitive and symmetric', () => {
    expect(hammingDistanceHex('ABCD', 'abcd')).toBe(0);
    expect(hammingDistanceHex('1234', 'fedc')).toBe(hammingDistanceHex('fedc', '1234'));
  });

  it('throws on different lengths or non-hex characters', () => {
    expect(() => hammingDistanceHex('00', '000')).toThrow(RangeError);
    expect(() => hammingDistanceHex('0g', '00')).toThrow(RangeError);
  });
});
