import type { Pixels } from './pixels.ts';

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
const LUMA_R = 0.299;
const LUMA_G = 0.587;
const LUMA_B = 0.114;

export function tentDownscaleTo64(pixels: Pixels): Float32Array {
  const { width, height } = pixels;
  const alongRow = new RowSampler(tentTerms(width));
  const alongColumns = new ColumnAccumulator(tentTerms(height));
  const rowSums = new Float64Array(width + 2);
  const rowSamples = new Float64Array(PDQ_SIDE);
  for (let y = 0; y < height; y++) {
    lumaSumsOfSums(pixels, y, rowSums);
    alongRow.sample(rowSums, rowSamples);
    alongColumns.add(rowSamples);
  }
  // Derived from the content: cleared rather than left for the collector.
  rowSums.fill(0);
  rowSamples.fill(0);
  return alongColumns.finish();
}

/**
 * out[m] = P[0] + .. + P[m - 1] where P[x] is the luminance summed over pixels 0..x-1 of row y
 * (alpha ignored, as the reference does), for m = 0 .. width + 1.
 */
function lumaSumsOfSums({ data, width, channels }: Pixels, y: number, out: Float64Array): void {
  let sum = 0;
  let sumOfSums = 0;
  out[0] = 0;
  for (let x = 1, offset = y * width * channels; x <= width; x++, offset += channels) {
    sumOfSums += sum;
    out[x] = sumOfSums;
    sum +=
      LUMA_R * (data[offset] as number) + LUMA_G * (data[offset + 1] as number) + LUMA_B * (data[offset + 2] as number);
  }
  out[width + 1] = sumOfSums + sum;
}

/** Sample `sample` of a line gets weight x PP[index], PP being the line's sums of sums as above. */
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
  const span = (i: number) => [Math.max(0, i - (window - half)), Math.min(length - 1, i + half - 1)] as const;
  const terms: TentTerm[] = [];
  for (let sample = 0; sample < PDQ_SIDE; sample++) {
    const [from, to] = span(Math.floor(((sample + 0.5) * length) / PDQ_SIDE));
    // Weights on PP[first .. last]; the windows of values from..to reach P[first .. last - 1].
    const first = span(from)[0];
    const weights = new Float64Array(span(to)[1] + 3 - first);
    const addPrefix = (m: number, weight: number) => {
      weights[m + 1 - first] = (weights[m + 1 - first] as number) + weight;
      weights[m - first] = (weights[m - first] as number) - weight;
    };
    for (let i = from; i <= to; i++) {
      const [lo, hi] = span(i);
      const weight = 1 / ((hi - lo + 1) * (to - from + 1));
      addPrefix(hi + 1, weight);
      addPrefix(lo, -weight);
    }
    weights.forEach((weight, k) => {
      if (weight !== 0) terms.push({ sample, index: first + k, weight });
    });
  }
  return terms;
}

/** The terms of a row, flattened for speed: evaluated for every row of the image. */
class RowSampler {
  private readonly start = new Int32Array(PDQ_SIDE + 1);
  private readonly index: Int32Array;
  private readonly weight: Float64Array;

  constructor(terms: TentTerm[]) {
    this.index = Int32Array.from(terms, (t) => t.index);
    this.weight = Float64Array.from(terms, (t) => t.weight);
    for (const t of terms) this.start[t.sample + 1] = (this.start[t.sample + 1] as number) + 1;
    for (let k = 0; k < PDQ_SIDE; k++) this.start[k + 1] = (this.start[k + 1] as number) + (this.start[k] as number);
  }

  sample(sumsOfSums: Float64Array, out: Float64Array): void {
    for (let k = 0; k < PDQ_SIDE; k++) {
      let value = 0;
      for (let t = this.start[k] as number, end = this.start[k + 1] as number; t < end; t++) {
        value += (this.weight[t] as number) * (sumsOfSums[this.index[t] as number] as number);
      }
      out[k] = value;
    }
  }
}

/**
 * The 64 sampled columns, filtered as the rows go by: their running prefix sums (P) and sums of
 * those (PP) are kept, and each term of the column filter is applied when its PP index is reached.
 */
class ColumnAccumulator {
  private readonly sum = new Float64Array(PDQ_SIDE);
  private readonly sumOfSums = new Float64Array(PDQ_SIDE);
  private readonly out = new Float64Array(PDQ_SIDE * PDQ_SIDE);
  private readonly terms: TentTerm[];
  private next = 0;
  /** Rows added so far: sumOfSums holds PP[rows]. */
  private rows = 0;

  constructor(terms: TentTerm[]) {
    this.terms = terms.sort((a, b) => a.index - b.index);
    this.applyTerms(); // those at PP[0] = 0
  }

  add(rowSamples: Float64Array): void {
    this.advance(rowSamples);
    this.applyTerms();
  }

  /** The 64x64 result, once every row has been added; the running sums are cleared. */
  finish(): Float32Array {
    this.advance(null);
    this.applyTerms();
    const image = Float32Array.from(this.out);
    for (const buffer of [this.sum, this.sumOfSums, this.out]) buffer.fill(0);
    return image;
  }

  private advance(rowSamples: Float64Array | null): void {
    const { sum, sumOfSums } = this;
    for (let j = 0; j < PDQ_SIDE; j++) {
      sumOfSums[j] = (sumOfSums[j] as number) + (sum[j] as number);
      if (rowSamples) sum[j] = (sum[j] as number) + (rowSamples[j] as number);
    }
    this.rows++;
  }

  private applyTerms(): void {
    const { terms, sumOfSums, out } = this;
    for (; this.next < terms.length && (terms[this.next] as TentTerm).index === this.rows; this.next++) {
      const { sample, weight } = terms[this.next] as TentTerm;
      const row = sample * PDQ_SIDE;
      for (let j = 0; j < PDQ_SIDE; j++) out[row + j] = (out[row + j] as number) + weight * (sumOfSums[j] as number);
    }
  }
}
