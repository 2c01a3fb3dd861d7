/**
 * The image-domain half of PDQ, as the reference computes it (pdq/cpp/downscaling): the Jarosz
 * tent filter (a box filter along the rows then along the columns, twice) over the whole
 * luminance plane, then the values at the centres of a 64x64 grid.
 *
 * Every sum, difference and mean is rounded to float as the reference's float arithmetic is:
 * the sliding sums drift a little, and the hash bits depend on that drift where coefficients sit
 * near the median. Exact arithmetic lands values on the other side of the median (issue 14).
 */

export const PDQ_SIDE = 64;
const PASSES = 2;

/** Half a 64th of the side, rounded up: two passes then cover one output cell. */
export function jaroszWindow(length: number): number {
  return Math.floor((length + 2 * PDQ_SIDE - 1) / (2 * PDQ_SIDE));
}

/**
 * Filters `plane` (rows x cols, row-major) in place; `scratch` holds the intermediate passes.
 * Both hold at least rows * cols values.
 */
export function jaroszFilter(plane: Float32Array, scratch: Float32Array, rows: number, cols: number): void {
  const alongRows = jaroszWindow(cols);
  const alongCols = jaroszWindow(rows);
  for (let pass = 0; pass < PASSES; pass++) {
    for (let i = 0; i < rows; i++) boxFilterLine(plane, scratch, i * cols, 1, cols, alongRows);
    for (let j = 0; j < cols; j++) boxFilterLine(scratch, plane, j, cols, rows, alongCols);
  }
}

/**
 * One line of the reference's box filter: the mean over a window of `window` values reaching
 * `half - 1` before and `window - half` after each position (clipped at the ends, where the mean
 * is over the values covered), kept as a running float sum: added before subtracted, as there.
 */
function boxFilterLine(
  input: Float32Array,
  output: Float32Array,
  start: number,
  stride: number,
  length: number,
  window: number,
): void {
  const half = Math.floor((window + 2) / 2);
  let sum = 0;
  let count = 0;
  let read = start;
  let drop = start;
  let write = start;
  for (let i = 0; i < half - 1; i++, read += stride) {
    sum = Math.fround(sum + (input[read] as number));
    count++;
  }
  for (let i = 0; i < window - half + 1; i++, read += stride, write += stride) {
    sum = Math.fround(sum + (input[read] as number));
    count++;
    output[write] = sum / count;
  }
  for (let i = 0; i < length - window; i++, read += stride, drop += stride, write += stride) {
    sum = Math.fround(sum + (input[read] as number));
    sum = Math.fround(sum - (input[drop] as number));
    output[write] = sum / count;
  }
  for (let i = 0; i < half - 1; i++, drop += stride, write += stride) {
    sum = Math.fround(sum - (input[drop] as number));
    count--;
    output[write] = sum / count;
  }
}

/** The filtered values at the centres of the 64x64 grid (the reference's decimateFloat). */
export function decimateTo64(plane: Float32Array, rows: number, cols: number, out: Float32Array): void {
  for (let i = 0; i < PDQ_SIDE; i++) {
    const row = Math.floor(((i + 0.5) * rows) / PDQ_SIDE) * cols;
    for (let j = 0; j < PDQ_SIDE; j++) {
      out[i * PDQ_SIDE + j] = plane[row + Math.floor(((j + 0.5) * cols) / PDQ_SIDE)] as number;
    }
  }
}
