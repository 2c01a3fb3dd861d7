import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { computeSignals, DEFAULT_SIGNAL_LIMITS, type Signals } from '../../src/signals/compute-signals.ts';
import { hammingDistanceHex } from '../../src/signals/hamming.ts';
import { PDQ_VARIANTS } from '../../src/signals/pdq/dct.ts';
import { sceneImage, texturedScene } from './textured-scene.ts';

const W = 320;
const H = 240;
const signalsOf = (bytes: Buffer) => computeSignals(bytes, DEFAULT_SIGNAL_LIMITS);
const near = (a: Signals, b: Signals) => ({
  pdq: hammingDistanceHex(a.pdq as string, b.pdq as string),
  blockhash: hammingDistanceHex(a.blockhash as string, b.blockhash as string),
});

describe('computeSignals', () => {
  it('hashes JPEG, PNG, WebP, GIF and AVIF images, with well-formed values', async () => {
    const encoders = {
      'image/jpeg': (i: sharp.Sharp) => i.jpeg(),
      'image/png': (i: sharp.Sharp) => i.png(),
      'image/webp': (i: sharp.Sharp) => i.webp(),
      'image/gif': (i: sharp.Sharp) => i.gif(),
      'image/avif': (i: sharp.Sharp) => i.avif(),
    };
    for (const [mediaType, encode] of Object.entries(encoders)) {
      const signals = await signalsOf(await encode(sceneImage(1, W, H)).toBuffer());
      expect(signals).toMatchObject({ mediaType, width: W, height: H });
      expect(signals.blockhash).toMatch(/^[0-9a-f]{64}$/);
      expect(signals.pdq).toMatch(/^[0-9a-f]{64}$/);
      expect(signals.pdqQuality).toBeGreaterThanOrEqual(80);
      expect(Object.keys(signals.pdqVariants ?? {}).sort()).toEqual([...PDQ_VARIANTS].sort());
      expect(signals.pdqVariants?.original).toBe(signals.pdq);
    }
  });

  it('computes the exact hashes of the bytes as given', async () => {
    const bytes = await sceneImage(2, W, H).png().toBuffer();
    const signals = await signalsOf(bytes);
    for (const algorithm of ['sha256', 'sha1', 'md5'] as const) {
      expect(signals[algorithm]).toBe(createHash(algorithm).update(bytes).digest('hex'));
    }
  });

  it('takes exact hashes it is given as those of the bytes, for images, other bytes and refusals', async () => {
    // Values no hash of these bytes has: seen in the result only if taken as given.
    const known = { sha256: 'a'.repeat(64), sha1: 'b'.repeat(40), md5: 'c'.repeat(32) };
    const image = await sceneImage(3, W, H).jpeg().toBuffer();
    const given = await computeSignals(image, DEFAULT_SIGNAL_LIMITS, known);
    expect(given).toEqual({ ...(await signalsOf(image)), ...known });
    const text = Buffer.from('<!doctype html><p>a page</p>');
    expect(await computeSignals(text, DEFAULT_SIGNAL_LIMITS, known)).toMatchObject({
      ...known,
      mediaType: 'text/html',
    });
    const damaged = image.subarray(0, image.length >> 1);
    const refusal = await computeSignals(damaged, DEFAULT_SIGNAL_LIMITS, known).catch((error: unknown) => error);
    expect(refusal).toMatchObject({ reason: 'corrupt', exact: known });
  });

  it('gives bytes that are not an image their exact hashes and null perceptual fields', async () => {
    const html = Buffer.from('<!doctype html><html><body><video src="x.mp4"></video></body></html>');
    const mp4 = Buffer.concat([
      Buffer.from([0, 0, 0, 0x18]),
      Buffer.from('ftypisom\0\0\x02\0isommp41'),
      Buffer.alloc(64),
    ]);
    for (const [bytes, mediaType] of [
      [html, 'text/html'],
      [mp4, 'video/mp4'],
    ] as const) {
      expect(await signalsOf(bytes)).toEqual({
        sha256: createHash('sha256').update(bytes).digest('hex'),
        sha1: createHash('sha1').update(bytes).digest('hex'),
        md5: createHash('md5').update(bytes).digest('hex'),
        mediaType,
        width: null,
        height: null,
        blockhash: null,
        pdq: null,
        pdqQuality: null,
        pdqVariants: null,
      });
    }
  });

  it('applies the EXIF orientation before hashing', async () => {
    const turnedByTag = await sceneImage(3, W, H).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer();
    const turnedForReal = await sceneImage(3, W, H).rotate(90).jpeg({ quality: 95 }).toBuffer();
    const [byTag, forReal, upright] = await Promise.all([
      signalsOf(turnedByTag),
      signalsOf(turnedForReal),
      signalsOf(await sceneImage(3, W, H).jpeg({ quality: 95 }).toBuffer()),
    ]);
    expect(byTag).toMatchObject({ width: H, height: W });
    const distance = near(byTag, forReal);
    expect(distance.pdq).toBeLessThanOrEqual(8);
    expect(distance.blockhash).toBeLessThanOrEqual(4);
    // Without the orientation step the hash would be that of the upright picture: far away.
    expect(near(byTag, upright).pdq).toBeGreaterThan(64);
  });

  it('hashes only the first frame of an animated GIF', async () => {
    const frames = Buffer.concat([texturedScene(4, W, H), texturedScene(5, W, H)]);
    const animated = await sharp(frames, { raw: { width: W, height: 2 * H, channels: 3, pageHeight: H } })
      .gif()
      .toBuffer();
    const [first, second, both] = await Promise.all([
      signalsOf(await sceneImage(4, W, H).gif().toBuffer()),
      signalsOf(await sceneImage(5, W, H).gif().toBuffer()),
      signalsOf(animated),
    ]);
    expect(both).toMatchObject({ width: W, height: H });
    expect(near(both, first).pdq).toBeLessThanOrEqual(8);
    expect(near(both, second).pdq).toBeGreaterThan(64);
  });

  it('decodes grey, 16-bit, CMYK and transparent images to the same picture', async () => {
    const reference = await signalsOf(await sceneImage(6, W, H).png().toBuffer());
    const variants = {
      '16-bit PNG': sceneImage(6, W, H).toColourspace('rgb16').png(),
      'CMYK JPEG': sceneImage(6, W, H).toColourspace('cmyk').jpeg({ quality: 95 }),
      'opaque RGBA PNG': sceneImage(6, W, H).ensureAlpha().png(),
    };
    for (const [name, image] of Object.entries(variants)) {
      const signals = await signalsOf(await image.toBuffer());
      expect({ name, ...near(signals, reference) }).toEqual({
        name,
        pdq: expect.toSatisfy((d: number) => d <= 16),
        blockhash: expect.toSatisfy((d: number) => d <= 10),
      });
    }
    const grey = await signalsOf(await sceneImage(6, W, H).greyscale().png().toBuffer());
    expect(grey).toMatchObject({ width: W, height: H, pdqQuality: expect.any(Number) });
  });
});
