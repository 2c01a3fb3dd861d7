import { describe, expect, it } from 'vitest';
import { LUMA_SCALE, lumaSumsOfSums, pixelWords } from '../../src/signals/pdq/luma.ts';
import type { Pixels } from '../../src/signals/pixels.ts';

/** The definition, one pixel at a time: PP[m] = P[0] + .. + P[m - 1], P[x] = luminance of pixels 0..x-1. */
function plainSumsOfSums({ data, width, channels }: Pixels, y: number): number[] {
  const out = [0];
  let sum = 0;
  let sumOfSums = 0;
  for (let x = 0; x < width; x++) {
    sumOfSums += sum;
    out.push(sumOfSums);
    const o = (y * width + x) * channels;
    sum += 299 * (data[o] as number) + 587 * (data[o + 1] as number) + 114 * (data[o + 2] as number);
  }
  out.push(sumOfSums + sum);
  return out;
}

describe('lumaSumsOfSums', () => {
  it('matches the definition for every width, channel count and alignment in memory', () => {
    expect(LUMA_SCALE).toBe(1000);
    for (const channels of [3, 4] as const) {
      for (const width of [1, 2, 3, 4, 5, 7, 8, 13, 64]) {
        for (let byteOffset = 0; byteOffset < 4; byteOffset++) {
          const height = 3;
          const memory = Uint8Array.from(
            { length: byteOffset + width * height * channels },
            (_, i) => (i * 151 + 29) & 0xff,
          );
          const pixels: Pixels = { data: memory.subarray(byteOffset), width, height, channels };
          const words = pixelWords(pixels);
          expect(words === null).toBe(channels === 4);
          const out = new Float64Array(width + 2);
          for (let y = 0; y < height; y++) {
            lumaSumsOfSums(pixels, words, y, out);
            expect(Array.from(out)).toEqual(plainSumsOfSums(pixels, y));
          }
        }
      }
    }
  });

  it('stays exact on the brightest rows', () => {
    const width = 1001;
    const pixels: Pixels = { data: new Uint8Array(width * 3).fill(255), width, height: 1, channels: 3 };
    const out = new Float64Array(width + 2);
    lumaSumsOfSums(pixels, pixelWords(pixels), 0, out);
    expect(Array.from(out)).toEqual(plainSumsOfSums(pixels, 0));
  });
});
