import type { Pixels } from '../pixels.ts';

/**
 * The luminance plane PDQ filters, in the reference's single-precision arithmetic: each channel
 * times its float coefficient (0.299, 0.587, 0.114), added red + green, then + blue, every step
 * rounded to float. Alpha is ignored, as the reference does.
 *
 * The reference command-line tool (`pdq-photo-hasher`, io/pdqio.cpp) first squashes any image
 * with a side over 512 pixels to exactly 512x512 by nearest neighbour (CImg's default resize):
 * output column x reads source column floor(x * width / 512), likewise for rows. Partner lists
 * are made with that tool, so we sample the same grid; it is also what keeps the filter's cost
 * bounded whatever the image size.
 */
export const REFERENCE_MAX_SIDE = 512;

/** Per channel value, its float product with the coefficient. */
const lumaTable = (coefficient: number) =>
  Float32Array.from({ length: 256 }, (_, v) => Math.fround(Math.fround(coefficient) * v));
const BLUE = lumaTable(0.114);
/**
 * The float sum of the red and green terms for every (red, green) pair, indexed red * 256 + green:
 * one lookup instead of two and a rounding (256 KB, read on every sampled pixel).
 */
const RED_GREEN = (() => {
  const red = lumaTable(0.299);
  const green = lumaTable(0.587);
  const table = new Float32Array(256 * 256);
  for (let r = 0; r < 256; r++) {
    for (let g = 0; g < 256; g++) table[(r << 8) | g] = (red[r] as number) + (green[g] as number);
  }
  return table;
})();

/** The sides of the plane the reference filters for an image of this size. */
export function lumaPlaneSize(width: number, height: number): { rows: number; cols: number } {
  const squash = width > REFERENCE_MAX_SIDE || height > REFERENCE_MAX_SIDE;
  return squash ? { rows: REFERENCE_MAX_SIDE, cols: REFERENCE_MAX_SIDE } : { rows: height, cols: width };
}

/**
 * Fills `out` with the luminance of the sampled grid, transposed: pixel (x, y) at
 * out[x * stride + y], the layout the filter starts from (downscale.ts). `columns` is scratch of at least `cols` entries for the source offsets
 * of the sampled columns.
 */
export function fillLumaPlane(
  { data, width, height, channels }: Pixels,
  rows: number,
  cols: number,
  columns: Int32Array,
  out: Float32Array,
  stride: number,
): void {
  for (let x = 0; x < cols; x++) columns[x] = Math.floor((x * width) / cols) * channels;
  for (let y = 0; y < rows; y++) {
    const rowStart = Math.floor((y * height) / rows) * width * channels;
    for (let x = 0, o = y; x < cols; x++, o += stride) {
      const p = rowStart + (columns[x] as number);
      out[o] =
        (RED_GREEN[((data[p] as number) << 8) | (data[p + 1] as number)] as number) +
        (BLUE[data[p + 2] as number] as number);
    }
  }
}
