import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeSignals, DEFAULT_SIGNAL_LIMITS } from '../../src/signals/compute-signals.ts';
import { hammingDistanceHex } from '../../src/signals/hamming.ts';
import { conformancePictures, conformanceSeed, encodePng } from '../fixtures/pdq-conformance/pictures.ts';

const expectedCsv = path.resolve('tests', 'fixtures', 'pdq-conformance', 'expected.csv');

async function expected(): Promise<Map<string, { pdq: string; quality: number }>> {
  const [header, ...rows] = (await readFile(expectedCsv, 'utf8')).trim().split('\n');
  expect(header).toBe('picture,pdq,quality');
  return new Map(
    rows.map((row) => {
      const [picture, pdq, quality] = row.split(',') as [string, string, string];
      return [picture, { pdq, quality: Number(quality) }];
    }),
  );
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] as number;
};

describe('PDQ against the C++ reference on the regenerated lossless pictures', () => {
  // The issue asks for 2 bits at the median, 6 at most and the quality within 5; following the
  // reference's float arithmetic we agree bit for bit, so the test holds us close to that.
  it('agrees bit for bit at the median, within 2 bits at most, the quality within 1', async () => {
    const reference = await expected();
    const { seed, pictures } = await conformanceSeed();
    expect(reference.size).toBe(pictures);
    const bits: number[] = [];
    const qualityGaps: number[] = [];
    for (const picture of conformancePictures(seed, pictures)) {
      const want = reference.get(picture.name);
      if (!want) throw new Error(`${picture.name} is not in expected.csv`);
      const signals = await computeSignals(await encodePng(picture), DEFAULT_SIGNAL_LIMITS);
      bits.push(hammingDistanceHex(signals.pdq as string, want.pdq));
      qualityGaps.push(Math.abs((signals.pdqQuality as number) - want.quality));
    }
    const figure = {
      pictures: bits.length,
      medianBits: median(bits),
      maxBits: Math.max(...bits),
      exact: bits.filter((b) => b === 0).length,
      maxQualityDifference: Math.max(...qualityGaps),
    };
    console.log(`PDQ vs C++ reference: ${JSON.stringify(figure)}`);
    expect(figure.medianBits).toBe(0);
    expect(figure.maxBits).toBeLessThanOrEqual(2);
    expect(figure.maxQualityDifference).toBeLessThanOrEqual(1);
  }, 120_000);
});
