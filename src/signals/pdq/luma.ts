import type { Pixels } from '../pixels.ts';
import { lumaRow, MEMORY, PLANE_STRIDE, REFERENCE_MAX_SIDE, ROW_BYTES, wasmMemory } from './wasm.ts';

export { REFERENCE_MAX_SIDE };

/**
 * The luminance plane PDQ filters, in the reference's single-precision arithmetic: each channel
 * times its float coefficient (0.299, 0.587, 0.114), added red + green, then + blue, every step
 * rounded to float (in WebAssembly, see wasm.ts). Alpha is ignored, as the reference does.
 *
 * The reference command-line tool (`pdq-photo-hasher`, io/pdqio.cpp) first squashes any image
 * with a side over 512 pixels to exactly 512x512 by nearest neighbour (CImg's default resize):
 * output column x reads source column floor(x * width / 512), likewise for rows. Partner lists
 * are made with that tool, so we sample the same grid; it is also what keeps the filter's cost
 * bounded whatever the image size.
 */

/** The sides of the plane the reference filters for an image of this size. */
export function lumaPlaneSize(width: number, height: number): { rows: number; cols: number } {
  const squash = width > REFERENCE_MAX_SIDE || height > REFERENCE_MAX_SIDE;
  return squash ? { rows: REFERENCE_MAX_SIDE, cols: REFERENCE_MAX_SIDE } : { rows: height, cols: width };
}

/** Byte offset in a source row of each sampled column, for lumaRow. */
const columns = new Int32Array(wasmMemory, MEMORY.columns, REFERENCE_MAX_SIDE);
/** lumaRow's copy of (part of) a source row. */
const row = new Uint8Array(wasmMemory, MEMORY.row, ROW_BYTES);
/** Where each part of a row starts: the first sampled column of each copy (the last is `cols`). */
const parts = new Int32Array(REFERENCE_MAX_SIDE + 1);

/**
 * Fills the filter's plane (lumaPlane of downscale.ts) with the luminance of the sampled grid,
 * transposed: pixel (x, y) at lumaPlane[x * PLANE_STRIDE + y], the layout the filter starts
 * from. Each sampled source row is copied into the module's memory, from its first sampled
 * pixel to its last (a word is read per pixel, hence the 4), in parts of at most ROW_BYTES when
 * it is longer; the copy is cleared afterwards.
 */
export function fillLumaPlane({ data, width, height, channels }: Pixels, rows: number, cols: number): void {
  for (let x = 0; x < cols; x++) columns[x] = Math.floor((x * width) / cols) * channels;
  let partCount = 0;
  for (let x = 0; x < cols; x++) {
    if (
      partCount === 0 ||
      (columns[x] as number) + 4 - (columns[parts[partCount - 1] as number] as number) > ROW_BYTES
    ) {
      parts[partCount++] = x;
    }
  }
  parts[partCount] = cols;
  const rowBytes = width * channels;
  let copied = 0;
  try {
    for (let y = 0; y < rows; y++) {
      const rowStart = Math.floor((y * height) / rows) * rowBytes;
      for (let part = 0; part < partCount; part++) {
        const from = parts[part] as number;
        const to = parts[part + 1] as number;
        const first = columns[from] as number;
        const length = Math.min((columns[to - 1] as number) + 4, rowBytes) - first;
        row.set(data.subarray(rowStart + first, rowStart + first + length));
        copied = Math.max(copied, length);
        lumaRow(
          MEMORY.row - first,
          MEMORY.columns,
          from,
          to,
          MEMORY.plane + (from * PLANE_STRIDE + y) * 4,
          PLANE_STRIDE * 4,
        );
      }
    }
  } finally {
    // Pixel values: cleared rather than left for the next image to overwrite.
    row.fill(0, 0, copied);
  }
}
