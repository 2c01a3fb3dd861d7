import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeSignals, DEFAULT_SIGNAL_LIMITS, type Signals } from '../../src/signals/compute-signals.ts';
import { hammingDistanceHex } from '../../src/signals/hamming.ts';
import type { PdqVariant } from '../../src/signals/pdq/dct.ts';

const fixtures = path.resolve('..', 'shared', 'fixtures', 'pdq');

interface Expected {
  file: string;
  pdq: string;
  source: 'cpp' | 'python';
}

async function expectedHashes(): Promise<Expected[]> {
  const [header, ...rows] = (await readFile(path.join(fixtures, 'expected.csv'), 'utf8')).trim().split('\n');
  expect(header).toBe('file,pdq,source');
  return rows.map((row) => {
    const [file, pdq, source] = row.split(',') as [string, string, Expected['source']];
    return { file, pdq, source };
  });
}

const signalsOf = async (file: string): Promise<Signals> =>
  computeSignals(await readFile(path.join(fixtures, file)), DEFAULT_SIGNAL_LIMITS);

describe('PDQ conformance with the reference hashes', () => {
  it("is within 10 of the C++ reference at quality >= 80, within 16 otherwise (Meta's rule)", async () => {
    const expected = await expectedHashes();
    expect(expected.filter((e) => e.source === 'cpp').length).toBe(8);
    for (const { file, pdq, source } of expected) {
      const signals = await signalsOf(file);
      const distance = hammingDistanceHex(signals.pdq as string, pdq);
      const limit = source === 'cpp' && (signals.pdqQuality as number) >= 80 ? 10 : 16;
      expect({ file, distance, within: distance <= limit }).toEqual({ file, distance, within: true });
    }
  });

  it('rates the photographs as high quality and the flat image as low', async () => {
    expect((await signalsOf('bridge-1-original.jpg')).pdqQuality).toBe(100);
    expect((await signalsOf('q0003.jpg')).pdqQuality).toBeLessThan(50);
  });

  // The eight bridge files are the rotations and flips of one photo: the variants computed from
  // the original's DCT must land on the reference hashes of the transformed files.
  it("predicts the hash of each rotated or flipped file from the original's DCT", async () => {
    const files: Record<PdqVariant, string> = {
      original: 'bridge-1-original.jpg',
      rotate90: 'bridge-2-rotate-90.jpg',
      rotate180: 'bridge-3-rotate-180.jpg',
      rotate270: 'bridge-4-rotate-270.jpg',
      flipX: 'bridge-5-flipx.jpg',
      flipY: 'bridge-6-flipy.jpg',
      flipPlus1: 'bridge-7-flip-plus-1.jpg',
      flipMinus1: 'bridge-8-flip-minus-1.jpg',
    };
    const expected = new Map((await expectedHashes()).map((e) => [e.file, e.pdq]));
    const variants = (await signalsOf(files.original)).pdqVariants as Record<PdqVariant, string>;
    for (const [variant, file] of Object.entries(files) as [PdqVariant, string][]) {
      const distance = hammingDistanceHex(variants[variant], expected.get(file) as string);
      expect({ variant, distance, within: distance <= 10 }).toEqual({ variant, distance, within: true });
      // ... and far from the hashes of the other transforms: the variants are not interchangeable.
      for (const other of Object.values(files).filter((f) => f !== file)) {
        expect(hammingDistanceHex(variants[variant], expected.get(other) as string)).toBeGreaterThan(64);
      }
    }
  });
});
