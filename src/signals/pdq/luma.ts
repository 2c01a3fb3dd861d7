import type { Pixels } from '../pixels.ts';

/** PDQ's luminance weights 0.299, 0.587, 0.114 in thousandths: sums along a row stay exact integers. */
const LUMA_R = 299;
const LUMA_G = 587;
const LUMA_B = 114;
export const LUMA_SCALE = 1000;
/** Whether a 32-bit word holds its bytes lowest first, as the word-wise reading assumes. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * The luminance of each row of an image (times LUMA_SCALE, alpha ignored as the reference does),
 * as the row's prefix sums of prefix sums: what the tent filter reads. This pass touches every
 * pixel, so three-byte pixels are read four at a time as three 32-bit words (`pixelWords`), and
 * the running sums are advanced four pixels per step, once the row reaches a word boundary.
 *
 * Plain functions over typed arrays rather than an object per image: V8 discards optimised code
 * that depends on the shape of a per-image object when the collector frees that shape between
 * images (`--trace-deopt`: "weak objects"), and the hash then runs unoptimised for a while.
 */

/** The memory of `pixels` as 32-bit words, or null when its pixels cannot be read that way. */
export function pixelWords({ data, channels }: Pixels): Int32Array | null {
  if (!LITTLE_ENDIAN || channels !== 3) return null;
  const firstWord = data.byteOffset >> 2;
  return new Int32Array(data.buffer, firstWord * 4, ((data.byteOffset + data.length) >> 2) - firstWord);
}

/**
 * out[m] = P[0] + .. + P[m - 1] for m = 0 .. width + 1, where P[x] is the luminance summed over
 * pixels 0..x-1 of row y. After x pixels, `sum` holds P[x] and `sumOfSums` P[0] + .. + P[x - 1].
 */
export function lumaSumsOfSums(pixels: Pixels, words: Int32Array | null, y: number, out: Float64Array): void {
  const { data, width, channels } = pixels;
  let sum = 0;
  let sumOfSums = 0;
  let x = 0;
  let offset = y * width * channels;
  out[0] = 0;
  if (words !== null) {
    const bias = data.byteOffset & 3;
    for (; x < width && ((offset + bias) & 3) !== 0; x++, offset += 3) {
      sumOfSums += sum;
      out[x + 1] = sumOfSums;
      sum += luma(data, offset);
    }
    const groups = (width - x) >> 2;
    for (let w = (offset + bias) >> 2, end = w + 3 * groups; w < end; w += 3, x += 4) {
      const a = words[w] as number;
      const b = words[w + 1] as number;
      const c = words[w + 2] as number;
      const l0 = LUMA_R * (a & 255) + LUMA_G * ((a >>> 8) & 255) + LUMA_B * ((a >>> 16) & 255);
      const l1 = LUMA_R * (a >>> 24) + LUMA_G * (b & 255) + LUMA_B * ((b >>> 8) & 255);
      const l2 = LUMA_R * ((b >>> 16) & 255) + LUMA_G * (b >>> 24) + LUMA_B * (c & 255);
      const l3 = LUMA_R * ((c >>> 8) & 255) + LUMA_G * ((c >>> 16) & 255) + LUMA_B * (c >>> 24);
      // The four single steps unrolled, so that they do not wait on one another.
      out[x + 1] = sumOfSums + sum;
      out[x + 2] = sumOfSums + (2 * sum + l0);
      out[x + 3] = sumOfSums + (3 * sum + (2 * l0 + l1));
      sumOfSums += 4 * sum + (3 * l0 + 2 * l1 + l2);
      out[x + 4] = sumOfSums;
      sum += l0 + l1 + (l2 + l3);
    }
    offset += 12 * groups;
  }
  for (; x < width; x++, offset += channels) {
    sumOfSums += sum;
    out[x + 1] = sumOfSums;
    sum += luma(data, offset);
  }
  out[width + 1] = sumOfSums + sum;
}

function luma(data: Uint8Array, offset: number): number {
  return (
    LUMA_R * (data[offset] as number) + LUMA_G * (data[offset + 1] as number) + LUMA_B * (data[offset + 2] as number)
  );
}
