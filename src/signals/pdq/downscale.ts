/**
 * The image-domain half of PDQ, as the reference computes it (pdq/cpp/downscaling): the Jarosz
 * tent filter (a box filter along the rows then along the columns, twice) over the whole
 * luminance plane, then the values at the centres of a 64x64 grid.
 *
 * Every sum, difference and mean is rounded to float as the reference's float arithmetic is:
 * the sliding sums drift a little, and the hash bits depend on that drift where coefficients sit
 * near the median. Exact arithmetic lands values on the other side of the median (issue 14).
 */

import { REFERENCE_MAX_SIDE } from './luma.ts';

export const PDQ_SIDE = 64;
const PASSES = 2;

/** Half a 64th of the side, rounded up: two passes then cover one output cell. */
export function jaroszWindow(length: number): number {
  return Math.floor((length + 2 * PDQ_SIDE - 1) / (2 * PDQ_SIDE));
}

/** Rows filtered together: enough independent running sums to keep the processor busy. */
const ROW_BLOCK = 16;
/** Working memory for the lanes being filtered: at most one per column of the 512-wide plane. */
const lanes = new Int32Array(REFERENCE_MAX_SIDE);
const sums = new Float64Array(REFERENCE_MAX_SIDE);

/**
 * Filters `plane` (rows x cols, row-major) and writes the 64x64 grid-centre samples to `out`.
 * `scratch` holds the intermediate passes; both hold at least rows * cols values and are left
 * holding filtered content for the caller to clear.
 *
 * The reference filters one line at a time; each running sum is a chain of dependent float
 * additions, so we advance many lines side by side instead (a block of rows, or every column),
 * each with the reference's exact sequence of operations. The last column pass filters only the
 * 64 columns that are sampled: columns are filtered independently, so the others cannot change them.
 */
export function jaroszDownscaleTo64(
  plane: Float32Array,
  scratch: Float32Array,
  rows: number,
  cols: number,
  out: Float32Array,
): void {
  const alongRows = jaroszWindow(cols);
  const alongCols = jaroszWindow(rows);
  for (let pass = 0; pass < PASSES; pass++) {
    for (let first = 0; first < rows; first += ROW_BLOCK) {
      const count = Math.min(ROW_BLOCK, rows - first);
      for (let k = 0; k < count; k++) lanes[k] = (first + k) * cols;
      boxFilterLanes(plane, scratch, count, 1, cols, alongRows);
    }
    const lastPass = pass === PASSES - 1;
    const columns = lastPass ? PDQ_SIDE : cols;
    for (let k = 0; k < columns; k++) lanes[k] = lastPass ? gridCentre(k, cols) : k;
    boxFilterLanes(scratch, plane, columns, cols, rows, alongCols);
  }
  lanes.fill(0);
  sums.fill(0);
  decimateTo64(plane, rows, cols, out);
}

/** Index of the centre of cell n of 64 along a side of `length` (the reference's decimation). */
const gridCentre = (n: number, length: number) => Math.floor(((n + 0.5) * length) / PDQ_SIDE);

/**
 * The reference's box filter along `laneCount` lines at once: line k starts at lanes[k], its
 * values `step` apart, `length` of them. Each output is the mean over a window of `window` values
 * reaching `half - 1` before and `window - half` after it (clipped at the ends, where the mean is
 * over the values covered), from a running float sum: added before subtracted, as there.
 */
function boxFilterLanes(
  input: Float32Array,
  output: Float32Array,
  laneCount: number,
  step: number,
  length: number,
  window: number,
): void {
  const half = Math.floor((window + 2) / 2);
  sums.fill(0, 0, laneCount);
  let count = 0;
  let read = 0;
  let drop = 0;
  let write = 0;
  for (let i = 0; i < half - 1; i++, read += step) {
    count++;
    for (let k = 0; k < laneCount; k++) {
      sums[k] = Math.fround((sums[k] as number) + (input[(lanes[k] as number) + read] as number));
    }
  }
  for (let i = 0; i < window - half + 1; i++, read += step, write += step) {
    count++;
    for (let k = 0; k < laneCount; k++) {
      const lane = lanes[k] as number;
      const sum = Math.fround((sums[k] as number) + (input[lane + read] as number));
      sums[k] = sum;
      output[lane + write] = sum / count;
    }
  }
  for (let i = 0; i < length - window; i++, read += step, drop += step, write += step) {
    for (let k = 0; k < laneCount; k++) {
      const lane = lanes[k] as number;
      const sum = Math.fround(
        Math.fround((sums[k] as number) + (input[lane + read] as number)) - (input[lane + drop] as number),
      );
      sums[k] = sum;
      output[lane + write] = sum / count;
    }
  }
  for (let i = 0; i < half - 1; i++, drop += step, write += step) {
    count--;
    for (let k = 0; k < laneCount; k++) {
      const lane = lanes[k] as number;
      const sum = Math.fround((sums[k] as number) - (input[lane + drop] as number));
      sums[k] = sum;
      output[lane + write] = sum / count;
    }
  }
}

/** The plane's values at the centres of the 64x64 grid (the reference's decimateFloat). */
export function decimateTo64(plane: Float32Array, rows: number, cols: number, out: Float32Array): void {
  for (let i = 0; i < PDQ_SIDE; i++) {
    const row = gridCentre(i, rows) * cols;
    for (let j = 0; j < PDQ_SIDE; j++) out[i * PDQ_SIDE + j] = plane[row + gridCentre(j, cols)] as number;
  }
}
