import { describe, expect, it } from 'vitest';
import { lumaPlane, PLANE_STRIDE } from '../../src/signals/pdq/downscale.ts';
import { fillLumaPlane, lumaPlaneSize } from '../../src/signals/pdq/luma.ts';
import { MEMORY, ROW_BYTES, wasmMemory } from '../../src/signals/pdq/wasm.ts';
import { seededRandom } from '../support/seeded-random.ts';

/**
 * The reference's luminance written the plain way (pdq/cpp, fillFloatLumaFromBufferImage, after
 * pdqio's nearest-neighbour squash), each float step rounded with Math.fround: what the
 * WebAssembly row function, fed row by row and part by part, must reproduce bit for bit.
 */
function referenceLuma(data: Uint8Array, width: number, height: number, channels: number): Float32Array {
  const { rows, cols } = lumaPlaneSize(width, height);
  const [r, g, b] = [0.299, 0.587, 0.114].map((c) => Math.fround(c)) as [number, number, number];
  const out = new Float32Array(rows * cols);
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < cols; x++) {
      const p = (Math.floor((y * height) / rows) * width + Math.floor((x * width) / cols)) * channels;
      const red = Math.fround(r * (data[p] as number));
      const green = Math.fround(g * (data[p + 1] as number));
      const blue = Math.fround(b * (data[p + 2] as number));
      out[y * cols + x] = Math.fround(Math.fround(red + green) + blue);
    }
  }
  return out;
}

describe('fillLumaPlane', () => {
  it.each([
    [5, 5, 3],
    [300, 200, 4],
    [1024, 768, 3],
    [601, 999, 4],
    // Sampled rows longer than the copy buffer: read in two and three parts.
    [Math.ceil((ROW_BYTES * 1.5) / 3), 6, 3],
    [Math.ceil((ROW_BYTES * 2.5) / 4), 9, 4],
  ])(
    'matches the reference, bit for bit, on %ix%i pixels of %i channels, and clears its copy',
    (width, height, channels) => {
      const next = seededRandom(width * 7 + height * 3 + channels);
      const data = Uint8Array.from({ length: width * height * channels }, () => Math.floor(next() * 256));
      const { rows, cols } = lumaPlaneSize(width, height);
      fillLumaPlane({ data, width, height, channels: channels as 3 | 4 }, rows, cols);
      const plane = new Float32Array(rows * cols);
      for (let y = 0; y < rows; y++) {
        for (let x = 0; x < cols; x++) plane[y * cols + x] = lumaPlane[x * PLANE_STRIDE + y] as number;
      }
      lumaPlane.fill(0);
      expect(Array.from(plane)).toEqual(Array.from(referenceLuma(data, width, height, channels)));
      expect(new Uint8Array(wasmMemory, MEMORY.row, ROW_BYTES).every((v) => v === 0)).toBe(true);
    },
  );
});
