import type { Pixels } from '../pixels.ts';
import { coefficientsToHex, DCT_SIDE, dct64To16, dihedralCoefficients, PDQ_VARIANTS, type PdqVariant } from './dct.ts';
import { jaroszDownscaleTo64, PDQ_SIDE } from './downscale.ts';
import { fillLumaPlane, lumaPlaneSize } from './luma.ts';

/**
 * PDQ, Meta's 256-bit perceptual hash, following the reference command-line tool
 * (facebook/ThreatExchange pdq/cpp, `pdq-photo-hasher`) step by step and in its float precision:
 * luminance (squashed to 512x512 when larger, see luma.ts), the Jarosz tent filter, 64x64
 * decimation, 16x16 DCT, median threshold, plus the quality metric and the hashes of the eight
 * rotations and flips. tests/fixtures/pdq-conformance holds the reference's own output to hold
 * us to it.
 */
export interface PdqResult {
  hash: string;
  /** 0..100; below about 50 the image is too flat for the hash to mean much. */
  quality: number;
  /** The hash of each rotation/flip of the image (`original` equals `hash`). */
  variants: Record<PdqVariant, string>;
}

/** Smaller images get the reference's empty answer: an all-zero hash of quality 0. */
const MIN_SIDE = 5;

export function pdq(pixels: Pixels): PdqResult {
  if (pixels.width < MIN_SIDE || pixels.height < MIN_SIDE) {
    const zero = '0'.repeat(64);
    return {
      hash: zero,
      quality: 0,
      variants: Object.fromEntries(PDQ_VARIANTS.map((v) => [v, zero])) as Record<PdqVariant, string>,
    };
  }
  const { rows, cols } = lumaPlaneSize(pixels.width, pixels.height);
  const { image64, coefficients } = buffers;
  try {
    fillLumaPlane(pixels, rows, cols);
    jaroszDownscaleTo64(rows, cols, image64);
    dct64To16(image64, coefficients);
    const variants = Object.fromEntries(
      PDQ_VARIANTS.map((variant) => [variant, coefficientsToHex(dihedralCoefficients(coefficients, variant))]),
    ) as Record<PdqVariant, string>;
    return { hash: variants.original, quality: qualityMetric(image64), variants };
  } finally {
    // Derived from the content: cleared rather than left for the next image to overwrite.
    for (const buffer of [image64, coefficients]) buffer.fill(0);
  }
}

/** Working memory, allocated once per thread (the plane is the filter's, see downscale.ts). */
const buffers = {
  image64: new Float32Array(PDQ_SIDE * PDQ_SIDE),
  coefficients: new Float32Array(DCT_SIDE * DCT_SIDE),
};

/**
 * The sum of significant gradients between neighbouring cells of the 64x64 image (each truncated
 * to whole percent of full scale), scaled so that 100 means plenty of structure.
 */
function qualityMetric(image: Float32Array): number {
  // (int)(((u - v) * 100) / 255) with u, v floats: each step rounded to float, then truncated.
  const step = (u: number, v: number) => Math.abs(Math.trunc(Math.fround(Math.fround(Math.fround(u - v) * 100) / 255)));
  let gradientSum = 0;
  for (let i = 0; i < PDQ_SIDE - 1; i++) {
    for (let j = 0; j < PDQ_SIDE; j++) {
      gradientSum += step(image[i * PDQ_SIDE + j] as number, image[(i + 1) * PDQ_SIDE + j] as number);
    }
  }
  for (let i = 0; i < PDQ_SIDE; i++) {
    for (let j = 0; j < PDQ_SIDE - 1; j++) {
      gradientSum += step(image[i * PDQ_SIDE + j] as number, image[i * PDQ_SIDE + j + 1] as number);
    }
  }
  return Math.min(100, Math.floor(gradientSum / 90));
}
