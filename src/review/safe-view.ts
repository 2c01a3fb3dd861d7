import sharp from 'sharp';
import { z } from 'zod';
import { applyDecoderPolicy } from '../signals/decoder-policy.ts';

/** Blur levels, strongest last: the analyst starts at the strongest and lowers it one step at a time. */
const blurSigmas = [0, 2, 4, 8, 14, 24] as const;
export const strongestBlur = blurSigmas.length - 1;
/** The longest side of a view: enough to judge, never the original. */
export const viewMaxSide = 720;

export const viewQuerySchema = z.strictObject({
  blur: z
    .string()
    .regex(new RegExp(`^[0-${strongestBlur}]$`))
    .transform(Number)
    .default(strongestBlur),
  grey: z
    .enum(['0', '1'])
    .transform((g) => g === '1')
    .default(true),
  /** A supervisor's explicit request to view a `known` item (which is confirmed without a view). */
  acknowledgeKnown: z
    .literal('1')
    .transform(() => true)
    .optional(),
});
export type ViewOptions = z.output<typeof viewQuerySchema>;

/**
 * The picture an analyst's browser receives: downscaled, blurred and (by default) greyscale, as a
 * JPEG, all in memory. The decoder policy of the signals code applies (only the hashed image
 * formats, no operation cache, no temporary files).
 */
export async function renderSafeView(bytes: Buffer, options: ViewOptions, maxPixels: number): Promise<Buffer> {
  applyDecoderPolicy();
  let image = sharp(bytes, { limitInputPixels: maxPixels, animated: false })
    .rotate()
    .resize(viewMaxSide, viewMaxSide, { fit: 'inside', withoutEnlargement: true });
  const sigma = blurSigmas[options.blur] ?? 24;
  if (sigma > 0) image = image.blur(sigma);
  if (options.grey) image = image.greyscale().toColourspace('b-w');
  return image.jpeg({ quality: 80 }).toBuffer();
}
