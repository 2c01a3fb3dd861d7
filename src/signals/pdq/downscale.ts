/**
 * The image-domain half of PDQ, as the reference computes it (pdq/cpp/downscaling): the Jarosz
 * tent filter (a box filter along the rows then along the columns, twice) over the whole
 * luminance plane, then the values at the centres of a 64x64 grid.
 *
 * Every sum, difference and mean is rounded to float as the reference's float arithmetic is:
 * the sliding sums drift a little, and the hash bits depend on that drift where coefficients sit
 * near the median. Exact arithmetic lands values on the other side of the median (issue 14).
 */

import { filterColumnsTransposed, MEMORY, PLANE_STRIDE, REFERENCE_MAX_SIDE, wasmMemory } from './wasm.ts';

export { PLANE_STRIDE };
export const PDQ_SIDE = 64;
const PASSES = 2;

/** Half a 64th of the side, rounded up: two passes then cover one output cell. */
export function jaroszWindow(length: number): number {
  return Math.floor((length + 2 * PDQ_SIDE - 1) / (2 * PDQ_SIDE));
}

/** Columns per SIMD group (see wasm.ts). */
const GROUP = 4;

/** The plane and its scratch copy, in the filter's memory (allocated once per thread). */
/** The luminance plane, transposed: pixel (x, y) at lumaPlane[x * PLANE_STRIDE + y]. */
export const lumaPlane = new Float32Array(wasmMemory, MEMORY.plane, REFERENCE_MAX_SIDE * PLANE_STRIDE);
const scratch = new Float32Array(wasmMemory, MEMORY.scratch, REFERENCE_MAX_SIDE * PLANE_STRIDE);
const lanes = new Int32Array(wasmMemory, MEMORY.lanes, REFERENCE_MAX_SIDE);
const sums = new Float32Array(wasmMemory, MEMORY.sums, REFERENCE_MAX_SIDE);

/**
 * Filters `lumaPlane` (rows x cols, transposed, as fillLumaPlane left it) and writes the 64x64
 * grid-centre samples to `out`; then clears the plane and everything derived from it. A 64x64
 * plane is taken as already downsampled, unfiltered, as the reference tool does.
 *
 * The reference filters one line at a time, along the rows then along the columns, twice; we
 * advance all lines of a direction side by side, four to a SIMD group, each with the reference's
 * exact sequence of operations. Each pass transposes (wasm.ts), so the rows are filtered as
 * the columns of the transposed plane. A group reaching past the last line filters values no one
 * reads (the stride leaves room for them): lines are filtered independently, so they cannot
 * change the others. For the same reason the last pass filters only the groups holding the 64
 * sampled columns.
 */
export function jaroszDownscaleTo64(rows: number, cols: number, out: Float32Array): void {
  const alongRows = jaroszWindow(cols);
  const alongCols = jaroszWindow(rows);
  const filtered = rows !== PDQ_SIDE || cols !== PDQ_SIDE;
  try {
    for (let pass = 0; filtered && pass < PASSES; pass++) {
      filterColumnsTransposed(
        MEMORY.plane,
        MEMORY.scratch,
        MEMORY.lanes,
        allGroups(rows),
        cols,
        alongRows,
        MEMORY.sums,
      );
      const count = pass === PASSES - 1 ? sampledColumnGroups(cols) : allGroups(cols);
      filterColumnsTransposed(MEMORY.scratch, MEMORY.plane, MEMORY.lanes, count, rows, alongCols, MEMORY.sums);
    }
    decimateTo64(lumaPlane, rows, cols, out);
  } finally {
    // Derived from the content: cleared rather than left for the next image to overwrite.
    const used = Math.ceil(Math.max(rows, cols) / GROUP) * GROUP * PLANE_STRIDE;
    lumaPlane.fill(0, 0, used);
    scratch.fill(0, 0, used);
    sums.fill(0);
  }
}

/** Sets lanes to the first line of every group of `lines`; returns how many groups. */
function allGroups(lines: number): number {
  const count = Math.ceil(lines / GROUP);
  for (let k = 0; k < count; k++) lanes[k] = k * GROUP;
  return count;
}

/** Sets lanes to the first column of each group holding a sampled column, once each; returns how many. */
function sampledColumnGroups(cols: number): number {
  let count = 0;
  for (let n = 0; n < PDQ_SIDE; n++) {
    const group = gridCentre(n, cols) & ~(GROUP - 1);
    if (count === 0 || lanes[count - 1] !== group) lanes[count++] = group;
  }
  return count;
}

/** Index of the centre of cell n of 64 along a side of `length` (the reference's decimation). */
const gridCentre = (n: number, length: number) => Math.floor(((n + 0.5) * length) / PDQ_SIDE);

/** The transposed plane's values at the centres of the 64x64 grid (the reference's decimateFloat). */
export function decimateTo64(plane: Float32Array, rows: number, cols: number, out: Float32Array): void {
  for (let j = 0; j < PDQ_SIDE; j++) {
    const column = gridCentre(j, cols) * PLANE_STRIDE;
    for (let i = 0; i < PDQ_SIDE; i++) out[i * PDQ_SIDE + j] = plane[column + gridCentre(i, rows)] as number;
  }
}
