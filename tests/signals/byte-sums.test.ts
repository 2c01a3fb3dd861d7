import { describe, expect, it } from 'vitest';
import { ByteSums } from '../../src/signals/byte-sums.ts';

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

  it('adds the sums of consecutive runs, for every alignment and run length', () => {
    const memory = Uint8Array.from({ length: 600 }, (_, i) => (i * 89 + 7) & 0xff);
    for (let offset = 0; offset < 4; offset++) {
      const bytes = memory.subarray(offset);
      const sums = new ByteSums(bytes);
      for (const length of [1, 3, 4, 12, 16, 20, 48, 192]) {
        for (let start = 0; start < 8; start++) {
          const count = Math.min(3, Math.floor((bytes.length - start) / length));
          const out = new Float64Array(count + 2).fill(1);
          sums.addRunSums(start, length, count, out, 1);
          const expected = [
            1,
            ...Array.from(
              { length: count },
              (_, k) => 1 + plainSum(bytes, start + k * length, start + (k + 1) * length),
            ),
            1,
          ];
          expect(Array.from(out)).toEqual(expected);
        }
      }
    }
  });

  it('does not overflow on runs of 255 as long as the word path takes', () => {
    const bytes = new Uint8Array(4096).fill(255);
    const out = new Float64Array(8);
    new ByteSums(bytes).addRunSums(0, 512, 8, out, 0);
    expect(Array.from(out)).toEqual(new Array(8).fill(255 * 512));
  });
});
