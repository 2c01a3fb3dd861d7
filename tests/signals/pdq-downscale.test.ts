import { describe, expect, it } from 'vitest';
import {
  jaroszDownscaleTo64,
  jaroszWindow,
  lumaPlane,
  PDQ_SIDE,
  PLANE_STRIDE,
} from '../../src/signals/pdq/downscale.ts';
import { seededRandom } from '../support/seeded-random.ts';

/**
 * The reference's downscale written the plain way, one line at a time as pdq/cpp/downscaling does
 * (box1DFloat along every row then every column, twice, then decimateFloat), each float step
 * rounded with Math.fround: what our lane-wise WebAssembly version must reproduce bit for bit.
 */
function referenceDownscale(plane: Float32Array, rows: number, cols: number): Float32Array {
  const box = (
    input: Float32Array,
    output: Float32Array,
    start: number,
    stride: number,
    length: number,
    window: number,
  ) => {
    const half = Math.floor((window + 2) / 2);
    let sum = 0;
    let count = 0;
    let read = start;
    let drop = start;
    let write = start;
    for (let i = 0; i < half - 1; i++, read += stride, count++) sum = Math.fround(sum + (input[read] as number));
    for (let i = 0; i < window - half + 1; i++, read += stride, write += stride) {
      sum = Math.fround(sum + (input[read] as number));
      output[write] = sum / ++count;
    }
    for (let i = 0; i < length - window; i++, read += stride, drop += stride, write += stride) {
      sum = Math.fround(Math.fround(sum + (input[read] as number)) - (input[drop] as number));
      output[write] = sum / count;
    }
    for (let i = 0; i < half - 1; i++, drop += stride, write += stride) {
      sum = Math.fround(sum - (input[drop] as number));
      output[write] = sum / --count;
    }
  };
  const a = Float32Array.from(plane);
  const b = new Float32Array(a.length);
  if (rows !== PDQ_SIDE || cols !== PDQ_SIDE) {
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < rows; i++) box(a, b, i * cols, 1, cols, jaroszWindow(cols));
      for (let j = 0; j < cols; j++) box(b, a, j, cols, rows, jaroszWindow(rows));
    }
  }
  const out = new Float32Array(PDQ_SIDE * PDQ_SIDE);
  for (let i = 0; i < PDQ_SIDE; i++) {
    const row = Math.floor(((i + 0.5) * rows) / PDQ_SIDE);
    for (let j = 0; j < PDQ_SIDE; j++)
      out[i * PDQ_SIDE + j] = a[row * cols + Math.floor(((j + 0.5) * cols) / PDQ_SIDE)] as number;
  }
  return out;
}

describe('jaroszDownscaleTo64', () => {
  it.each([
    [5, 5],
    [7, 300],
    [64, 64],
    [65, 64],
    [129, 257],
    [300, 511],
    [512, 512],
  ])('matches the reference, bit for bit, on a %ix%i plane, and clears it', (rows, cols) => {
    const next = seededRandom(rows * 1000 + cols);
    const plane = Float32Array.from({ length: rows * cols }, () => Math.fround(next() * 255));
    // The filter takes the plane transposed, PLANE_STRIDE floats a row (as fillLumaPlane writes it).
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) lumaPlane[j * PLANE_STRIDE + i] = plane[i * cols + j] as number;
    }
    const out = new Float32Array(PDQ_SIDE * PDQ_SIDE);
    jaroszDownscaleTo64(rows, cols, out);
    expect(Array.from(out)).toEqual(Array.from(referenceDownscale(plane, rows, cols)));
    expect(lumaPlane.every((v) => v === 0)).toBe(true);
  });
});
