import sharp from 'sharp';
import { seededRandom } from './seeded-random.ts';

// Synthetic test images: gradients, shapes and noise drawn from a seed. Nothing real, ever.

type Rgb = [number, number, number];

/** RGB pixels of a picture that is the same for a seed and different between seeds. */
export function syntheticPixels(seed: number, width: number, height: number): Buffer {
  const next = seededRandom(seed);
  const colour = (): Rgb => [next() * 255, next() * 255, next() * 255];
  const from = colour();
  const to = colour();
  const shapes = Array.from({ length: 6 }, () => ({
    x: next() * width,
    y: next() * height,
    radius: (0.1 + next() * 0.3) * Math.min(width, height),
    colour: colour(),
    round: next() < 0.5,
  }));
  const pixels = Buffer.alloc(width * height * 3);
  const noisy = (value: number) => Math.max(0, Math.min(255, value + (next() - 0.5) * 12));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const t = (x / width + y / height) / 2;
      let rgb: Rgb = [
        from[0] + (to[0] - from[0]) * t,
        from[1] + (to[1] - from[1]) * t,
        from[2] + (to[2] - from[2]) * t,
      ];
      for (const s of shapes) {
        const dx = Math.abs(x - s.x);
        const dy = Math.abs(y - s.y);
        const inside = s.round ? dx * dx + dy * dy < s.radius * s.radius : dx < s.radius && dy < s.radius / 2;
        if (inside) rgb = s.colour;
      }
      const at = (y * width + x) * 3;
      pixels[at] = noisy(rgb[0]);
      pixels[at + 1] = noisy(rgb[1]);
      pixels[at + 2] = noisy(rgb[2]);
    }
  }
  return pixels;
}

export type SyntheticFormat = 'png' | 'jpeg' | 'webp' | 'gif';

/** The seed's picture encoded as `format`, optionally scaled: the same picture re-encoded elsewhere. */
export async function syntheticImage(
  seed: number,
  options: { format?: SyntheticFormat; width?: number; height?: number; scale?: number; quality?: number } = {},
): Promise<Buffer> {
  const width = options.width ?? 160;
  const height = options.height ?? 120;
  let image = sharp(syntheticPixels(seed, width, height), { raw: { width, height, channels: 3 } });
  if (options.scale) image = image.resize(Math.round(width * options.scale), Math.round(height * options.scale));
  const quality = options.quality ?? 85;
  switch (options.format ?? 'png') {
    case 'png':
      return image.png().toBuffer();
    case 'jpeg':
      return image.jpeg({ quality }).toBuffer();
    case 'webp':
      return image.webp({ quality }).toBuffer();
    case 'gif':
      return image.gif().toBuffer();
  }
}

/** The leading bytes of the image formats we hash: what a scan for images at rest looks for. */
export const imageMagic: readonly { type: string; bytes: Buffer }[] = [
  { type: 'png', bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { type: 'jpeg', bytes: Buffer.from([0xff, 0xd8, 0xff, 0xdb]) },
  { type: 'jpeg', bytes: Buffer.from([0xff, 0xd8, 0xff, 0xe0]) },
  { type: 'jpeg', bytes: Buffer.from([0xff, 0xd8, 0xff, 0xe1]) },
  { type: 'gif', bytes: Buffer.from('GIF89a') },
  { type: 'gif', bytes: Buffer.from('GIF87a') },
  { type: 'webp', bytes: Buffer.from('WEBPVP8') },
];
