import sharp from 'sharp';

/**
 * Process-wide settings of the image decoder (sharp/libvips), applied once when the signals code
 * is loaded. They hold for every use of sharp in this process, so the process must not expect to
 * decode anything else (SVG, TIFF, PDF, ...) with sharp; encoding (output) is unaffected, and
 * images can still be made from raw pixels, which is how tests build theirs.
 */

/** libvips loader classes for in-memory input of the formats we hash (AVIF comes through HEIF). */
const ALLOWED_LOADERS = [
  'VipsForeignLoadJpegBuffer',
  'VipsForeignLoadPngBuffer',
  'VipsForeignLoadWebpBuffer',
  'VipsForeignLoadNsgifBuffer',
  'VipsForeignLoadHeifBuffer',
];

let applied = false;

export function applyDecoderPolicy(): void {
  if (applied) return;
  applied = true;
  // Every other loader, from files, buffers or streams, is unreachable: a hostile file cannot
  // reach the SVG, PDF, TIFF, ImageMagick ... parsers even if it gets past the magic-byte check.
  sharp.block({ operation: ['VipsForeignLoad'] });
  sharp.unblock({ operation: ALLOWED_LOADERS });
  // libvips keeps recent results in an operation cache; decoded pixels must not outlive a call.
  sharp.cache(false);
  // Formats that cannot be decoded in one sequential pass are decoded to a temporary file in
  // TMPDIR when larger than this (default 100 MB: a 6000x6000 GIF). Images never touch the disk,
  // so raise it beyond anything the pixel limit allows. libvips reads it at its first such load.
  process.env.VIPS_DISC_THRESHOLD = '64g';
}
