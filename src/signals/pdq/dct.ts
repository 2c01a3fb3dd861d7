import { PDQ_SIDE } from './downscale.ts';
import { MEMORY, product, wasmMemory } from './wasm.ts';

/**
 * The frequency-domain half of PDQ: the 16x16 lowest non-constant DCT coefficients of the 64x64
 * image, the dihedral variants (rotations and flips of the image are sign changes and a transpose
 * of these coefficients) and the hash bits (coefficient above the median).
 */

export const DCT_SIDE = 16;

/**
 * Rows 1..16 of the 64-point DCT-II basis (row 0, the mean, carries no structure), as the
 * reference builds it: the float scale times the double cosine, rounded to float. Kept in the
 * WebAssembly memory, with its transpose (for the second product, four adjacent outputs a step).
 */
const basis = new Float32Array(wasmMemory, MEMORY.dctBasis, DCT_SIDE * PDQ_SIDE);
const basisTransposed = new Float32Array(wasmMemory, MEMORY.dctBasisTransposed, PDQ_SIDE * DCT_SIDE);
{
  const scale = Math.fround(Math.sqrt(2 / PDQ_SIDE));
  for (let i = 0; i < DCT_SIDE; i++) {
    for (let j = 0; j < PDQ_SIDE; j++) {
      basis[i * PDQ_SIDE + j] = scale * Math.cos((Math.PI / 2 / PDQ_SIDE) * (i + 1) * (2 * j + 1));
      basisTransposed[j * DCT_SIDE + i] = basis[i * PDQ_SIDE + j] as number;
    }
  }
}
const image = new Float32Array(wasmMemory, MEMORY.dctImage, PDQ_SIDE * PDQ_SIDE);
const partial = new Float32Array(wasmMemory, MEMORY.dctPartial, DCT_SIDE * PDQ_SIDE);
const result = new Float32Array(wasmMemory, MEMORY.dctOut, DCT_SIDE * DCT_SIDE);

/**
 * B = D A Dᵀ for the 64x64 image A, computing only the 16x16 coefficients the hash uses, in the
 * reference's order: T = D A first, each dot product summed from k = 0 up in float (the products
 * in WebAssembly, see wasm.ts). Writes B to `out` (16x16) and clears the working copies.
 */
export function dct64To16(input: Float32Array, out: Float32Array): void {
  try {
    image.set(input);
    product(
      MEMORY.dctBasis,
      MEMORY.dctImage,
      MEMORY.dctPartial,
      DCT_SIDE,
      PDQ_SIDE / 4,
      PDQ_SIDE,
      PDQ_SIDE * 4,
      PDQ_SIDE * 4,
    );
    product(
      MEMORY.dctPartial,
      MEMORY.dctBasisTransposed,
      MEMORY.dctOut,
      DCT_SIDE,
      DCT_SIDE / 4,
      PDQ_SIDE,
      PDQ_SIDE * 4,
      DCT_SIDE * 4,
    );
    out.set(result);
  } finally {
    // Derived from the content: cleared rather than left for the next image to overwrite.
    for (const buffer of [image, partial, result]) buffer.fill(0);
  }
}

/**
 * The eight symmetries of the square, named as in the reference implementation: rotate90 is a
 * quarter turn anticlockwise, rotate270 clockwise; flipX turns the image upside down, flipY
 * mirrors it left to right; flipPlus1 reflects it in the main diagonal, flipMinus1 in the other.
 */
export const PDQ_VARIANTS = [
  'original',
  'rotate90',
  'rotate180',
  'rotate270',
  'flipX',
  'flipY',
  'flipPlus1',
  'flipMinus1',
] as const;
export type PdqVariant = (typeof PDQ_VARIANTS)[number];

/**
 * Flipping the image along an axis negates the odd-frequency coefficients along that axis;
 * swapping the axes transposes. Each variant is a combination of the two.
 */
const VARIANT_RULES: Record<PdqVariant, { transpose: boolean; negate: (i: number, j: number) => boolean }> = {
  original: { transpose: false, negate: () => false },
  rotate90: { transpose: true, negate: (_i, j) => (j & 1) === 0 },
  rotate180: { transpose: false, negate: (i, j) => ((i + j) & 1) === 1 },
  rotate270: { transpose: true, negate: (i) => (i & 1) === 0 },
  flipX: { transpose: false, negate: (i) => (i & 1) === 0 },
  flipY: { transpose: false, negate: (_i, j) => (j & 1) === 0 },
  flipPlus1: { transpose: true, negate: () => false },
  flipMinus1: { transpose: true, negate: (i, j) => ((i + j) & 1) === 1 },
};

export function dihedralCoefficients(coefficients: Float32Array, variant: PdqVariant): Float32Array {
  const { transpose, negate } = VARIANT_RULES[variant];
  const out = new Float32Array(coefficients.length);
  for (let i = 0; i < DCT_SIDE; i++) {
    for (let j = 0; j < DCT_SIDE; j++) {
      const value = coefficients[i * DCT_SIDE + j] as number;
      out[transpose ? j * DCT_SIDE + i : i * DCT_SIDE + j] = negate(i, j) ? -value : value;
    }
  }
  return out;
}

/**
 * Bit i*16+j is set when coefficient (i, j) exceeds the median (the lower of the two middle
 * values, as the reference's Torben selection returns). The hex form is the reference's: the
 * 256-bit number with bit k worth 2^k, most significant digit first.
 */
export function coefficientsToHex(coefficients: Float32Array): string {
  const median = Float32Array.from(coefficients).sort()[coefficients.length / 2 - 1] as number;
  const nibbles = new Uint8Array(coefficients.length / 4);
  for (let k = 0; k < coefficients.length; k++) {
    if ((coefficients[k] as number) > median) {
      const index = nibbles.length - 1 - (k >> 2);
      nibbles[index] = (nibbles[index] as number) | (1 << (k & 3));
    }
  }
  let hex = '';
  for (const nibble of nibbles) hex += nibble.toString(16);
  return hex;
}
