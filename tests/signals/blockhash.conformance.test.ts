import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockhash } from '../../src/signals/blockhash/blockhash.ts';
import { computeSignals, DEFAULT_SIGNAL_LIMITS } from '../../src/signals/compute-signals.ts';
import { hammingDistanceHex } from '../../src/signals/hamming.ts';

// The reference implementation, as an oracle only.
const blockhashCore = createRequire(import.meta.url)('blockhash-core') as {
  bmvbhash(data: { data: Uint8Array; width: number; height: number }, bits: number): string;
};

const fixtures = path.resolve('..', 'shared', 'fixtures', 'blockhash');

async function expectedHashes(): Promise<{ file: string; hash: string }[]> {
  const text = await readFile(path.join(fixtures, 'exact-hashes.txt'), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const [hash, file] = line.trim().split(/\s+/) as [string, string];
      return { file, hash };
    });
}

describe('blockhash conformance with the reference test set', () => {
  it('agrees exactly on the PNGs and within distance 2 on the JPEGs', async () => {
    const expected = await expectedHashes();
    expect(expected.length).toBeGreaterThanOrEqual(15);
    const distances: Record<string, number> = {};
    for (const { file, hash } of expected) {
      const signals = await computeSignals(await readFile(path.join(fixtures, file)), DEFAULT_SIGNAL_LIMITS);
      distances[file] = hammingDistanceHex(signals.blockhash as string, hash);
    }
    for (const [file, distance] of Object.entries(distances)) {
      expect({ file, distance }).toEqual({
        file,
        distance: file.endsWith('.png') ? 0 : expect.toSatisfy((d: number) => d <= 2),
      });
    }
  });

  it('counts fully transparent pixels as white (Babylonian.png is not all zeros)', async () => {
    const signals = await computeSignals(await readFile(path.join(fixtures, 'Babylonian.png')), DEFAULT_SIGNAL_LIMITS);
    expect(signals.blockhash).not.toMatch(/^0+$/);
  });
});

describe('blockhash against blockhash-core on arbitrary pixels', () => {
  // Sizes that divide by 16 and sizes that do not take different paths; both must match bit for
  // bit. The pixels also start at every alignment in memory, since whole words are read at once.
  const side = fc.oneof(
    fc.integer({ min: 1, max: 70 }),
    fc.integer({ min: 1, max: 5 }).map((n) => n * 16),
  );
  const image = fc
    .record({
      width: side,
      height: side,
      alpha: fc.boolean(),
      flat: fc.boolean(),
      offset: fc.integer({ min: 0, max: 3 }),
      seed: fc.integer(),
    })
    .map(({ width, height, alpha, flat, offset, seed }) => {
      const channels = alpha ? 4 : 3;
      const data = new Uint8Array(offset + width * height * channels).subarray(offset);
      let state = seed >>> 0;
      for (let i = 0; i < data.length; i++) {
        state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
        // Few distinct values (or one), so that blocks often tie with the median.
        data[i] = flat ? seed & 0xff : (state >>> 24) & 0xc0;
      }
      return { data, width, height, channels: channels as 3 | 4 };
    });

  it('gives the same hash as the reference for any size, with and without alpha', () => {
    fc.assert(
      fc.property(image, (pixels) => {
        const rgba = pixels.channels === 4 ? pixels.data : withOpaqueAlpha(pixels.data);
        expect(blockhash(pixels)).toBe(
          blockhashCore.bmvbhash({ data: rgba, width: pixels.width, height: pixels.height }, 16),
        );
      }),
      { numRuns: 400 },
    );
  });

  it('sums long runs of bright pixels exactly (blocks wider than 171 pixels)', () => {
    const [width, height] = [16 * 200, 32];
    const data = new Uint8Array(width * height * 3);
    for (let i = 0; i < data.length; i++) data[i] = 200 + ((i * 7919) % 56);
    const pixels = { data, width, height, channels: 3 as const };
    expect(blockhash(pixels)).toBe(blockhashCore.bmvbhash({ data: withOpaqueAlpha(data), width, height }, 16));
  });
});

function withOpaqueAlpha(rgb: Uint8Array): Uint8Array {
  const rgba = new Uint8Array((rgb.length / 3) * 4);
  for (let i = 0, o = 0; i < rgb.length; i += 3, o += 4) {
    rgba.set(rgb.subarray(i, i + 3), o);
    rgba[o + 3] = 255;
  }
  return rgba;
}
