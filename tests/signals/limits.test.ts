import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { computeSignals, DEFAULT_SIGNAL_LIMITS } from '../../src/signals/compute-signals.ts';
import { SignalsError } from '../../src/signals/signals-error.ts';
import { pngDeclaring } from './crafted-headers.ts';
import { sceneImage } from './textured-scene.ts';

async function refusal(bytes: Buffer, limits = DEFAULT_SIGNAL_LIMITS): Promise<SignalsError> {
  const error = await computeSignals(bytes, limits).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SignalsError);
  return error as SignalsError;
}

describe('decompression bombs', () => {
  it('refuses a small PNG declaring 30000x30000 pixels, keeping its exact hashes', async () => {
    const bomb = pngDeclaring(30_000, 30_000);
    expect(bomb.length).toBeLessThan(200);
    const error = await refusal(bomb);
    expect(error.reason).toBe('too_many_pixels');
    expect(error.exact?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a header over our limit that the decoder alone would accept (10000x10000)', async () => {
    // Under sharp's own default limit (268 MP) but over ours (40 MP): only our limit refuses it.
    expect((await refusal(pngDeclaring(10_000, 10_000))).reason).toBe('too_many_pixels');
  });

  it('refuses a real, highly compressible 36-megapixel PNG without decoding it', async () => {
    const solid = await sharp({ create: { width: 6000, height: 6000, channels: 3, background: '#336699' } })
      .png()
      .toBuffer();
    const limits = { maxBytes: 10_000_000, maxPixels: 1_000_000 };
    const before = process.memoryUsage().rss;
    expect((await refusal(solid, limits)).reason).toBe('too_many_pixels');
    // Decoding it would take over 100 MB (this very file at a higher limit grows the process by that much).
    expect(process.memoryUsage().rss - before).toBeLessThan(40_000_000);
  }, 60_000);
});

describe('byte size', () => {
  it('refuses more bytes than the limit before computing anything', async () => {
    const limits = { maxBytes: 1000, maxPixels: 1_000_000 };
    const error = await refusal(Buffer.alloc(1001), limits);
    expect(error.reason).toBe('too_large');
    expect(error.exact).toBeNull();
    await expect(computeSignals(Buffer.alloc(1000), limits)).resolves.toMatchObject({
      mediaType: 'application/octet-stream',
    });
  });
});

describe('formats we do not decode', () => {
  const svg = Buffer.from(
    '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="64" height="48"><rect width="64" height="48" fill="#c33"/></svg>',
  );

  it('gives SVG and TIFF their exact hashes and media type, no pixels', async () => {
    const tiff = await sceneImage(7, 64, 48).tiff().toBuffer();
    for (const [bytes, mediaType] of [
      [svg, 'image/svg+xml'],
      [tiff, 'image/tiff'],
    ] as const) {
      const signals = await computeSignals(bytes, DEFAULT_SIGNAL_LIMITS);
      expect(signals).toMatchObject({
        mediaType,
        width: null,
        height: null,
        blockhash: null,
        pdq: null,
        pdqQuality: null,
      });
      expect(signals.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('has the SVG, TIFF and other loaders blocked in the decoder itself, process-wide', async () => {
    const tiff = await sceneImage(7, 64, 48).tiff().toBuffer();
    for (const bytes of [svg, tiff, Buffer.from('P6\n2 2\n255\n0123456789ab')]) {
      await expect(sharp(bytes).metadata()).rejects.toThrow(/unsupported image format/);
    }
    // The formats we hash still decode.
    await expect(sharp(await sceneImage(7, 64, 48).webp().toBuffer()).metadata()).resolves.toMatchObject({
      format: 'webp',
    });
  });

  it('refuses a TIFF disguised behind JPEG magic bytes without parsing it as TIFF', async () => {
    const tiff = await sceneImage(7, 64, 48).tiff().toBuffer();
    const disguised = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), tiff]);
    expect(['corrupt', 'unsupported_media']).toContain((await refusal(disguised)).reason);
  });

  it('refuses truncated image data rather than hashing grey blocks', async () => {
    const jpeg = await sceneImage(8, 320, 240).jpeg().toBuffer();
    const error = await refusal(jpeg.subarray(0, Math.floor(jpeg.length * 0.6)));
    expect(error.reason).toBe('corrupt');
    expect(error.exact?.md5).toMatch(/^[0-9a-f]{32}$/);
  });
});
