import { describe, expect, it } from 'vitest';
import { ByteSums } from '../../../src/triage/signals/byte-sums.ts';

const plainSum = (bytes: Uint8Array, start: number, end: number) => {
  let sum = 0;
  for (let i = start; i < end; i++) sum += bytes[i] as number;
  return sum;
};

describe('ByteSums', () => {
  it('equals a byte-by-byte sum for every range, length and alignment in memory', () => {
    const memory = Uint8Array.from({ length: 40 }, (_, i) => (i * 97 + 13) & 0xff);
    for (let offset = 0; offset < 4; offset++) {
      for (let length = 0; length <= 24; length++) {
        const bytes = memory.subarray(offset, offset + length);
        const sums = new ByteSums(bytes);
        for (let start = 0; start <= length; start++) {
          for (let end = start; end <= length; end++) expect(sums.sum(start, end)).toBe(plainSum(bytes, start, end));
        }
      }
    }
  });

  it('does not overflow on long runs of 255', () => {
    const bytes = new Uint8Array(100_003).fill(255).subarray(1);
    expect(new ByteSums(bytes).sum(0, bytes.length)).toBe(255 * bytes.length);
  });
});
