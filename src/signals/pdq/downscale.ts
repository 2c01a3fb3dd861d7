/**
 * The image-domain half of PDQ, as the reference computes it (pdq/cpp/downscaling): the Jarosz
 * tent filter (a box filter along the rows then along the columns, twice) over the whole
 * luminance plane, then the values at the centres of a 64x64 grid.
 *
 * Every sum, difference and mean is rounded to float as the reference's float arithmetic is:
 * the sliding sums drift a little, and the hash bits depend on that drift where coefficients sit
 * near the median. Exact arithmetic lands values on the other side of the median (issue 14).
 */

import { boxFilterLanes, boxFilterMemory } from './box-filter.ts';
import { REFERENCE_MAX_SIDE } from './luma.ts';

export const PDQ_SIDE = 64;
const PASSES = 2;

/** Half a 64th of the side, rounded up: two passes then cover one output cell. */
export function jaroszWindow(length: number): number {
  return Math.floor((length + 2 * PDQ_SIDE - 1) / (2 * PDQ_SIDE));
}

/** Rows filtered together: enough independent running sums to keep the processor busy. */
const ROW_BLOCK = 16;

/**
 * The plane and its scratch copy live in the filter's WebAssembly memory, followed by the lane
 * offsets and running sums of up to 512 lines: allocated once per thread, the plane never
 * exceeding the reference's 512x512.
 */
const PLANE_BYTES = REFERENCE_MAX_SIDE * REFERENCE_MAX_SIDE * 4;
const SCRATCH_AT = PLANE_BYTES;
const LANES_AT = 2 * PLANE_BYTES;
const SUMS_AT = LANES_AT + REFERENCE_MAX_SIDE * 4;
export const lumaPlane = new Float32Array(boxFilterMemory, 0, PLANE_BYTES / 4);
const scratch = new Float32Array(boxFilterMemory, SCRATCH_AT, PLANE_BYTES / 4);
const lanes = new Int32Array(boxFilterMemory, LANES_AT, REFERENCE_MAX_SIDE);
const sums = new Float32Array(boxFilterMemory, SUMS_AT, REFERENCE_MAX_SIDE);

/**
 * Filters `lumaPlane` (rows x cols, row-major, as fillLumaPlane left it) and writes the 64x64
 * grid-centre samples to `out`; then clears the plane and everything derived from it. A 64x64
 * plane is taken as already downsampled, unfiltered, as the reference tool does.
 *
 * The reference filters one line at a time; we advance many lines side by side (a block of rows,
 * or every column), each with the reference's exact sequence of operations. The last column pass
 * filters only the 64 columns that are sampled: columns are filtered independently, so the
 * others cannot change them.
 */
export function jaroszDownscaleTo64(rows: number, cols: number, out: Float32Array): void {
  const alongRows = jaroszWindow(cols);
  const alongCols = jaroszWindow(rows);
  const filtered = rows !== PDQ_SIDE || cols !== PDQ_SIDE;
  try {
    for (let pass = 0; filtered && pass < PASSES; pass++) {
      for (let first = 0; first < rows; first += ROW_BLOCK) {
        const count = Math.min(ROW_BLOCK, rows - first);
        for (let k = 0; k < count; k++) lanes[k] = (first + k) * cols;
        boxFilterLanes(0, SCRATCH_AT, LANES_AT, count, 1, cols, alongRows, SUMS_AT);
      }
      const lastPass = pass === PASSES - 1;
      const columns = lastPass ? PDQ_SIDE : cols;
      for (let k = 0; k < columns; k++) lanes[k] = lastPass ? gridCentre(k, cols) : k;
      boxFilterLanes(SCRATCH_AT, 0, LANES_AT, columns, cols, rows, alongCols, SUMS_AT);
    }
    decimateTo64(lumaPlane, rows, cols, out);
  } finally {
    // Derived from the content: cleared rather than left for the next image to overwrite.
    lumaPlane.fill(0, 0, rows * cols);
    scratch.fill(0, 0, rows * cols);
    sums.fill(0);
  }
}

/** Index of the centre of cell n of 64 along a side of `length` (the reference's decimation). */
const gridCentre = (n: number, length: number) => Math.floor(((n + 0.5) * length) / PDQ_SIDE);

/** The plane's values at the centres of the 64x64 grid (the reference's decimateFloat). */
export function decimateTo64(plane: Float32Array, rows: number, cols: number, out: Float32Array): void {
  for (let i = 0; i < PDQ_SIDE; i++) {
    const row = gridCentre(i, rows) * cols;
    for (let j = 0; j < PDQ_SIDE; j++) out[i * PDQ_SIDE + j] = plane[row + gridCentre(j, cols)] as number;
  }
}
