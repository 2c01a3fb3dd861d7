import type { Pixels } from '../pixels.ts';
import { LUMA_SCALE, lumaSumsOfSums, pixelWords } from './luma.ts';

/**
 * The image-domain half of PDQ: luminance, the Jarosz tent filter (a box filter applied twice
 * along each axis) and decimation to the centres of a 64x64 grid.
 *
 * The reference filters the whole luminance plane, row pass and column pass, twice, then keeps
 * 64x64 samples. Row and column filtering commute, and only the samples are needed, so we do it
 * in one pass over the rows. Along a line, the tent-filtered value at a sample is a fixed linear
 * combination of a few of the line's prefix sums of prefix sums (`TentTerm`s, computed once per
 * image size). Each row is reduced to its 64 sampled columns that way; running prefix sums down
 * those 64 columns then feed the 64 sampled rows as the rows go by. Memory: one row of sums.
 */

export const PDQ_SIDE = 64;

export function tentDownscaleTo64(pixels: Pixels): Float32Array {
  const { width, height } = pixels;
  const words = pixelWords(pixels);
  // The luminance comes in LUMA_SCALE units; the row weights divide that back out.
  const alongRow = flatten(tentTerms(width), LUMA_SCALE);
  // The column terms are applied as the rows go by, so in order of the PP index they read.
  const alongColumns = flatten(
    tentTerms(height).sort((a, b) => a.index - b.index),
    1,
  );
  const rowSums = new Float64Array(width + 2);
  const rowSamples = new Float64Array(PDQ_SIDE);
  // The 64 sampled columns' running prefix sums (P) and sums of those (PP), and the result.
  const sum = new Float64Array(PDQ_SIDE);
  const sumOfSums = new Float64Array(PDQ_SIDE);
  const image = new Float64Array(PDQ_SIDE * PDQ_SIDE);
  let next = applyColumnTerms(alongColumns, 0, 0, sumOfSums, image);
  for (let y = 0; y < height; y++) {
    lumaSumsOfSums(pixels, words, y, rowSums);
    sampleRow(alongRow, rowSums, rowSamples);
    for (let j = 0; j < PDQ_SIDE; j++) {
      sumOfSums[j] = (sumOfSums[j] as number) + (sum[j] as number);
      sum[j] = (sum[j] as number) + (rowSamples[j] as number);
    }
    next = applyColumnTerms(alongColumns, next, y + 1, sumOfSums, image);
  }
  for (let j = 0; j < PDQ_SIDE; j++) sumOfSums[j] = (sumOfSums[j] as number) + (sum[j] as number);
  applyColumnTerms(alongColumns, next, height + 1, sumOfSums, image);
  const result = Float32Array.from(image);
  // Derived from the content: cleared rather than left for the collector.
  for (const buffer of [rowSums, rowSamples, sum, sumOfSums, image]) buffer.fill(0);
  return result;
}

/** Sample `sample` of a line gets weight x PP[index], PP being the line's prefix sums of prefix sums. */
interface TentTerm {
  sample: number;
  index: number;
  weight: number;
}

/**
 * Two passes of the reference's box filter along a line of `length` values, at the 64 grid
 * centres. The reference's window of `window` values around i covers i - before .. i + after,
 * clipped to the line, the mean being over the values actually covered. A mean of values lo..hi
 * is (P[hi + 1] - P[lo]) / count, and P[m] = PP[m + 1] - PP[m]; away from the ends most terms
 * cancel, leaving three or four per sample.
 */
function tentTerms(length: number): TentTerm[] {
  const window = Math.floor((length + 2 * PDQ_SIDE - 1) / (2 * PDQ_SIDE)); // half a cell, rounded up
  const half = Math.floor((window + 2) / 2);
  const spanStart = (i: number) => Math.max(0, i - (window - half));
  const spanEnd = (i: number) => Math.min(length - 1, i + half - 1);
  const terms: TentTerm[] = [];
  // One buffer for every sample: a sample's weights span fewer than 2 * window + 3 positions.
  const weights = new Float64Array(2 * window + 3);
  for (let sample = 0; sample < PDQ_SIDE; sample++) {
    const centre = Math.floor(((sample + 0.5) * length) / PDQ_SIDE);
    const from = spanStart(centre);
    const to = spanEnd(centre);
    // Weights on PP[first .. first + count - 1]; the windows of values from..to reach P[first .. ].
    const first = spanStart(from);
    const count = spanEnd(to) + 3 - first;
    weights.fill(0, 0, count);
    const addPrefix = (m: number, weight: number) => {
      weights[m + 1 - first] = (weights[m + 1 - first] as number) + weight;
      weights[m - first] = (weights[m - first] as number) - weight;
    };
    for (let i = from; i <= to; i++) {
      const lo = spanStart(i);
      const hi = spanEnd(i);
      const weight = 1 / ((hi - lo + 1) * (to - from + 1));
      addPrefix(hi + 1, weight);
      addPrefix(lo, -weight);
    }
    for (let k = 0; k < count; k++) {
      const weight = weights[k] as number;
      if (weight !== 0) terms.push({ sample, index: first + k, weight });
    }
  }
  return terms;
}

/**
 * Terms in flat arrays, evaluated for every row of the image. (Plain arrays and functions rather
 * than objects of a class: see pdq-luma.ts for why.)
 */
interface FlatTerms {
  sample: Int32Array;
  index: Int32Array;
  weight: Float64Array;
}

function flatten(terms: TentTerm[], scale: number): FlatTerms {
  return {
    sample: Int32Array.from(terms, (t) => t.sample),
    index: Int32Array.from(terms, (t) => t.index),
    weight: Float64Array.from(terms, (t) => t.weight / scale),
  };
}

/** The 64 samples of a row from its sums of sums. */
function sampleRow({ sample, index, weight }: FlatTerms, sumsOfSums: Float64Array, out: Float64Array): void {
  out.fill(0);
  for (let t = 0; t < index.length; t++) {
    const k = sample[t] as number;
    out[k] = (out[k] as number) + (weight[t] as number) * (sumsOfSums[index[t] as number] as number);
  }
}

/**
 * Applies the column terms that read PP[rows] (`sumOfSums` holds the 64 columns' PP[rows]),
 * starting at term `next`; returns the first term not applied.
 */
function applyColumnTerms(
  { sample, index, weight }: FlatTerms,
  next: number,
  rows: number,
  sumOfSums: Float64Array,
  image: Float64Array,
): number {
  let t = next;
  for (; t < index.length && index[t] === rows; t++) {
    const row = (sample[t] as number) * PDQ_SIDE;
    const w = weight[t] as number;
    for (let j = 0; j < PDQ_SIDE; j++) image[row + j] = (image[row + j] as number) + w * (sumOfSums[j] as number);
  }
  return t;
}
