import { createHash } from 'node:crypto';
import sharp, { type Metadata } from 'sharp';
import { blockhash } from './blockhash/blockhash.ts';
import { applyDecoderPolicy } from './decoder-policy.ts';
import { type HashedImageType, isHashedImageType, sniffMediaType } from './media-type.ts';
import type { PdqVariant } from './pdq/dct.ts';
import { pdq } from './pdq/pdq.ts';
import type { Pixels } from './pixels.ts';
import { type ExactSignals, SignalsError } from './signals-error.ts';

export interface SignalLimits {
  /** Larger inputs are refused before anything is computed. */
  maxBytes: number;
  /** Images declaring more pixels (width x height of the first frame) are refused undecoded. */
  maxPixels: number;
}

export const DEFAULT_SIGNAL_LIMITS: SignalLimits = { maxBytes: 20 * 1024 * 1024, maxPixels: 40_000_000 };

/** Hex values are lowercase. The perceptual fields and dimensions are null unless we hash the type. */
export interface Signals extends ExactSignals {
  /** Decided from the leading bytes, never from a name or a header. */
  mediaType: string;
  /** After EXIF orientation, as hashed. */
  width: number | null;
  height: number | null;
  blockhash: string | null;
  pdq: string | null;
  pdqQuality: number | null;
  /** The PDQ hashes of the image's eight rotations/flips, for matching any of them. */
  pdqVariants: Record<PdqVariant, string> | null;
}

/** What libvips calls each of the formats we hash (AVIF is HEIF with AV1 inside). */
const DECODER_FORMAT: Record<HashedImageType, string> = {
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'image/avif': 'heif',
};

applyDecoderPolicy();

/** The perceptual half of the signals of content that is not a decoded image. */
export const noPerceptualSignals = {
  width: null,
  height: null,
  blockhash: null,
  pdq: null,
  pdqQuality: null,
  pdqVariants: null,
} as const;

/**
 * The signals of some bytes, in memory only. Order of checks: size, magic bytes, the decoder's
 * header (dimensions and, for HEIF, the codec; no pixels), then decoding. Throws SignalsError for
 * refused input.
 *
 * `known`: the exact hashes of these very bytes when the caller has them already (the fetcher
 * computes them while a body streams in); they are then not computed again.
 */
export async function computeSignals(
  bytes: Buffer,
  limits: SignalLimits,
  known: ExactSignals | null = null,
): Promise<Signals> {
  if (bytes.length > limits.maxBytes) {
    throw new SignalsError('too_large', `${bytes.length} bytes, more than the limit of ${limits.maxBytes}`, null);
  }
  const exactOf = () => known ?? exactSignals(bytes);
  const mediaType = sniffMediaType(bytes);
  if (!isHashedImageType(mediaType)) {
    return { ...exactOf(), mediaType, ...noPerceptualSignals };
  }
  // The decoder's pixel limit (limitInputPixels) is checked on the header before any pixel is
  // decoded, and for these formats libvips picks its loader by the same magic bytes we sniffed: a
  // separate header read would only cost a second trip to its threads. HEIF is the exception: its
  // container may hold HEVC, which we never let the decoder near, so its header is read first.
  if (mediaType === 'image/avif') checkHeader(await readHeader(bytes, limits, exactOf), mediaType, limits, exactOf);
  // The decoder works on its own threads; the exact hashes are computed meanwhile.
  const decoding = decode(bytes, limits);
  const exact = exactOf();
  const pixels = await decoding.catch((error: unknown) => {
    throw refusalFromDecoder(error, exact);
  });
  try {
    // Blockhash first: it reads every pixel in order, which brings them close for PDQ's sampling.
    const block = blockhash(pixels);
    const perceptual = pdq(pixels);
    return {
      ...exact,
      mediaType,
      width: pixels.width,
      height: pixels.height,
      blockhash: block,
      pdq: perceptual.hash,
      pdqQuality: perceptual.quality,
      pdqVariants: perceptual.variants,
    };
  } finally {
    pixels.data.fill(0);
  }
}

function exactSignals(bytes: Buffer): ExactSignals {
  const digest = (algorithm: string) => createHash(algorithm).update(bytes).digest('hex');
  return { sha256: digest('sha256'), sha1: digest('sha1'), md5: digest('md5') };
}

async function readHeader(bytes: Buffer, limits: SignalLimits, exact: () => ExactSignals): Promise<Metadata> {
  try {
    return await sharp(bytes, { limitInputPixels: limits.maxPixels }).metadata();
  } catch (error) {
    throw refusalFromDecoder(error, exact());
  }
}

function checkHeader(
  header: Metadata,
  mediaType: HashedImageType,
  limits: SignalLimits,
  exact: () => ExactSignals,
): void {
  const codecMismatch = mediaType === 'image/avif' && header.compression !== 'av1';
  if (header.format !== DECODER_FORMAT[mediaType] || codecMismatch) {
    const seen = [header.format, header.compression].filter(Boolean).join('/');
    throw new SignalsError('unsupported_media', `looks like ${mediaType} but decodes as ${seen || 'nothing'}`, exact());
  }
  const width = header.width ?? 0;
  const height = header.pageHeight ?? header.height ?? 0;
  if (width * height > limits.maxPixels) {
    throw new SignalsError(
      'too_many_pixels',
      `${width}x${height} pixels, more than the limit of ${limits.maxPixels}`,
      exact(),
    );
  }
}

/** 8-bit sRGB(A) pixels of the first frame, EXIF orientation applied, embedded ICC profile ignored. */
async function decode(bytes: Buffer, limits: SignalLimits): Promise<Pixels> {
  const { data, info } = await sharp(bytes, {
    limitInputPixels: limits.maxPixels,
    // Truncated or damaged pixel data would hash as grey blocks: refuse rather than mislead.
    failOn: 'truncated',
    autoOrient: true,
    pages: 1,
    // The reference implementations hash the stored values; converting through an embedded
    // profile moved blockhash by up to 14 bits on its reference set.
    ignoreIcc: true,
  })
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3 && info.channels !== 4) {
    data.fill(0);
    throw new Error(`unexpected ${info.channels} channels after conversion to sRGB`);
  }
  return { data, width: info.width, height: info.height, channels: info.channels };
}

function refusalFromDecoder(error: unknown, exact: ExactSignals): SignalsError {
  const message = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(message)) return new SignalsError('too_many_pixels', message, exact);
  if (/unsupported image format/i.test(message)) return new SignalsError('unsupported_media', message, exact);
  return new SignalsError('corrupt', message, exact);
}
