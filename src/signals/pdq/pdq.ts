import type { Pixels } from '../pixels.ts';
import { coefficientsToHex, dct64To16, dihedralCoefficients, PDQ_VARIANTS, type PdqVariant } from './dct.ts';
import { PDQ_SIDE, tentDownscaleTo64 } from './downscale.ts';

/**
 * PDQ, Meta's 256-bit perceptual hash, from the published algorithm (facebook/ThreatExchange,
 * pdq/cpp/hashing): luminance, tent-filter downscale to 64x64, 16x16 DCT, median threshold, plus
 * the quality metric and the hashes of the eight rotations and flips.
 *
 * The image is filtered at full resolution, as the reference library function and the Java
 * reference do. (The C++ command-line tool first squashes images over 512 pixels to 512x512 by
 * nearest neighbour; on the reference bridge photos that lands up to 12 bits from the published
 * C++ hashes, full resolution at most 8, and bit for bit on the Java reference's hash.)
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
  const image64 = tentDownscaleTo64(pixels);
  const coefficients = dct64To16(image64);
  const variants = Object.fromEntries(
    PDQ_VARIANTS.map((variant) => [variant, coefficientsToHex(dihedralCoefficients(coefficients, variant))]),
  ) as Record<PdqVariant, string>;
  const quality = qualityMetric(image64);
  image64.fill(0);
  return { hash: variants.original, quality, variants };
}

/**
 * The sum of significant gradients between neighbouring cells of the 64x64 image (each truncated
 * to whole percent of full scale), scaled so that 100 means plenty of structure.
 */
function qualityMetric(image: Float32Array): number {
  let gradientSum = 0;
  for (let i = 0; i < PDQ_SIDE - 1; i++) {
    for (let j = 0; j < PDQ_SIDE; j++) {
      gradientSum += Math.abs(
        Math.trunc((((image[i * PDQ_SIDE + j] as number) - (image[(i + 1) * PDQ_SIDE + j] as number)) * 100) / 255),
      );
    }
  }
  for (let i = 0; i < PDQ_SIDE; i++) {
    for (let j = 0; j < PDQ_SIDE - 1; j++) {
      gradientSum += Math.abs(
        Math.trunc((((image[i * PDQ_SIDE + j] as number) - (image[i * PDQ_SIDE + j + 1] as number)) * 100) / 255),
      );
    }
  }
  return Math.min(100, Math.floor(gradientSum / 90));
}
