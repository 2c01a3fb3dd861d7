import sharp, { type Sharp } from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeSignals, DEFAULT_SIGNAL_LIMITS, type Signals } from '../../src/signals/compute-signals.ts';
import { hammingDistanceHex } from '../../src/signals/hamming.ts';
import { texturedScene } from './textured-scene.ts';

// The matching thresholds of the issue: a copy within them is found, an unrelated image is not.
const PDQ_THRESHOLD = 31;
const BLOCKHASH_THRESHOLD = 10;
// 1024x768 halves exactly onto PDQ's filter windows; at odd sizes resizing costs PDQ more bits.
const WIDTH = 1024;
const HEIGHT = 768;
const SEEDS = [1, 2, 3, 4, 5, 6];

const signalsOf = (bytes: Buffer) => computeSignals(bytes, DEFAULT_SIGNAL_LIMITS);
const closestVariant = (original: Signals, copy: Signals) =>
  Math.min(...Object.values(original.pdqVariants ?? {}).map((v) => hammingDistanceHex(v, copy.pdq as string)));

const scenes = new Map<number, Buffer>();
const sceneImage = (seed: number) => sharp(scenes.get(seed), { raw: { width: WIDTH, height: HEIGHT, channels: 3 } });
const originals = new Map<number, Signals>();

beforeAll(async () => {
  for (const seed of SEEDS) {
    scenes.set(seed, texturedScene(seed, WIDTH, HEIGHT));
    originals.set(seed, await signalsOf(await sceneImage(seed).png().toBuffer()));
  }
}, 120_000);

describe('a modified copy matches its original', () => {
  // "Cropped by 2%": 2% of the area, about 1% of each side's length, taken evenly from both ends.
  const cropByTwoPercent = (image: Sharp) => {
    const dx = Math.round(WIDTH * 0.005);
    const dy = Math.round(HEIGHT * 0.005);
    return image.extract({ left: dx, top: dy, width: WIDTH - 2 * dx, height: HEIGHT - 2 * dy });
  };
  const copies: Record<string, (image: Sharp) => Sharp> = {
    'resized to half': (image) => image.resize(WIDTH / 2, HEIGHT / 2).png(),
    're-encoded as JPEG at quality 70': (image) => image.jpeg({ quality: 70 }),
    'converted to WebP': (image) => image.webp(),
    'cropped by 2%': (image) => cropByTwoPercent(image).png(),
  };

  for (const [name, makeCopy] of Object.entries(copies)) {
    it(`${name}: PDQ within ${PDQ_THRESHOLD}, blockhash within ${BLOCKHASH_THRESHOLD}`, async () => {
      for (const seed of SEEDS) {
        const original = originals.get(seed) as Signals;
        expect(original.pdqQuality).toBeGreaterThanOrEqual(80);
        const copy = await signalsOf(await makeCopy(sceneImage(seed)).toBuffer());
        const pdq = hammingDistanceHex(original.pdq as string, copy.pdq as string);
        const blockhash = hammingDistanceHex(original.blockhash as string, copy.blockhash as string);
        expect({ seed, pdq, blockhash }).toEqual({
          seed,
          pdq: expect.toSatisfy((d: number) => d <= PDQ_THRESHOLD),
          blockhash: expect.toSatisfy((d: number) => d <= BLOCKHASH_THRESHOLD),
        });
      }
    }, 60_000);
  }

  const turned: Record<string, (image: Sharp) => Sharp> = {
    'rotated by 90 degrees': (image) => image.rotate(90).png(),
    mirrored: (image) => image.flop().png(),
  };
  for (const [name, makeCopy] of Object.entries(turned)) {
    it(`${name}: PDQ within ${PDQ_THRESHOLD} of one of the original's eight variants (and only so)`, async () => {
      for (const seed of SEEDS) {
        const original = originals.get(seed) as Signals;
        const copy = await signalsOf(await makeCopy(sceneImage(seed)).toBuffer());
        expect({ seed, viaVariant: closestVariant(original, copy) <= PDQ_THRESHOLD }).toEqual({
          seed,
          viaVariant: true,
        });
        expect(hammingDistanceHex(original.pdq as string, copy.pdq as string)).toBeGreaterThan(PDQ_THRESHOLD);
      }
    }, 60_000);
  }
});

describe('unrelated images do not match', () => {
  it('no two of twelve unrelated scenes are within either threshold, under any PDQ variant', async () => {
    const unrelated: Signals[] = [];
    for (let seed = 101; seed <= 112; seed++) {
      const pixels = texturedScene(seed, WIDTH, HEIGHT);
      unrelated.push(
        await signalsOf(
          await sharp(pixels, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } })
            .png()
            .toBuffer(),
        ),
      );
    }
    for (let i = 0; i < unrelated.length; i++) {
      for (let j = i + 1; j < unrelated.length; j++) {
        const [a, b] = [unrelated[i] as Signals, unrelated[j] as Signals];
        expect(closestVariant(a, b)).toBeGreaterThan(PDQ_THRESHOLD);
        expect(hammingDistanceHex(a.blockhash as string, b.blockhash as string)).toBeGreaterThan(BLOCKHASH_THRESHOLD);
      }
    }
  }, 60_000);
});
