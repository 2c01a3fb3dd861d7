import { describe, expect, it } from 'vitest';
import { hammingDistanceHex } from '../../src/signals/hamming.ts';
import { PDQ_VARIANTS, type PdqVariant } from '../../src/signals/pdq/dct.ts';
import { pdq } from '../../src/signals/pdq/pdq.ts';
import type { Pixels } from '../../src/signals/pixels.ts';
import { texturedScene } from './textured-scene.ts';

/** Where each output pixel (x, y) of a transformed w x h image comes from in the original. */
const SOURCE: Record<PdqVariant, (x: number, y: number, w: number, h: number) => [number, number]> = {
  original: (x, y) => [x, y],
  rotate90: (x, y, w) => [w - 1 - y, x], // a quarter turn anticlockwise
  rotate180: (x, y, w, h) => [w - 1 - x, h - 1 - y],
  rotate270: (x, y, _w, h) => [y, h - 1 - x], // a quarter turn clockwise
  flipX: (x, y, _w, h) => [x, h - 1 - y], // upside down
  flipY: (x, y, w) => [w - 1 - x, y], // mirrored left to right
  flipPlus1: (x, y) => [y, x], // reflected in the main diagonal
  flipMinus1: (x, y, w, h) => [w - 1 - y, h - 1 - x], // reflected in the other diagonal
};

function transformed(image: Pixels, variant: PdqVariant): Pixels {
  const swapsSides = ['rotate90', 'rotate270', 'flipPlus1', 'flipMinus1'].includes(variant);
  const [width, height] = swapsSides ? [image.height, image.width] : [image.width, image.height];
  const data = new Uint8Array(image.data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [sx, sy] = SOURCE[variant](x, y, image.width, image.height);
      const from = (sy * image.width + sx) * 3;
      data.set(image.data.subarray(from, from + 3), (y * width + x) * 3);
    }
  }
  return { data, width, height, channels: 3 };
}

describe('PDQ dihedral variants', () => {
  for (const [width, height] of [
    [512, 512],
    [640, 384],
  ] as const) {
    it(`predicts the hash of each rotation and flip of a ${width}x${height} image`, () => {
      const image: Pixels = { data: texturedScene(11, width, height), width, height, channels: 3 };
      const { hash, quality, variants } = pdq(image);
      expect(quality).toBe(100);
      expect(variants.original).toBe(hash);
      for (const variant of PDQ_VARIANTS) {
        const actual = pdq(transformed(image, variant)).hash;
        const distances = PDQ_VARIANTS.map((v) => hammingDistanceHex(variants[v], actual));
        const own = hammingDistanceHex(variants[variant], actual);
        expect({ variant, own, closest: Math.min(...distances) === own }).toEqual({
          variant,
          own: expect.toSatisfy((d: number) => d <= 20),
          closest: true,
        });
      }
    });
  }
});

describe('PDQ edge cases', () => {
  it('gives images under 5 pixels a side the all-zero hash of quality 0, as the reference does', () => {
    const result = pdq({ data: new Uint8Array(4 * 100 * 3).fill(200), width: 4, height: 100, channels: 3 });
    expect(result).toMatchObject({ hash: '0'.repeat(64), quality: 0 });
  });

  it('rates a flat image as quality 0 and hashes it without failing', () => {
    const result = pdq({ data: new Uint8Array(64 * 64 * 4).fill(128), width: 64, height: 64, channels: 4 });
    expect(result.quality).toBe(0);
    expect(result.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('sets exactly half the bits of a structured image (median threshold)', () => {
    const { hash } = pdq({ data: texturedScene(12, 300, 200), width: 300, height: 200, channels: 3 });
    expect(hammingDistanceHex(hash, '0'.repeat(64))).toBe(128);
  });
});
