import { describe, expect, it } from 'vitest';
import { DCT_SIDE, dct64To16 } from '../../src/signals/pdq/dct.ts';
import { PDQ_SIDE } from '../../src/signals/pdq/downscale.ts';
import { MEMORY, wasmMemory } from '../../src/signals/pdq/wasm.ts';
import { seededRandom } from '../support/seeded-random.ts';

/**
 * The reference's DCT written the plain way (pdq/cpp, dct64To16): D A Dᵀ over rows 1..16 of the
 * float DCT basis, each product and sum rounded with Math.fround, from k = 0 up: what the
 * WebAssembly products must reproduce bit for bit.
 */
function referenceDct(image: Float32Array): Float32Array {
  const scale = Math.fround(Math.sqrt(2 / PDQ_SIDE));
  const basis = Float32Array.from({ length: DCT_SIDE * PDQ_SIDE }, (_, n) => {
    const [i, j] = [Math.floor(n / PDQ_SIDE), n % PDQ_SIDE];
    return scale * Math.cos((Math.PI / 2 / PDQ_SIDE) * (i + 1) * (2 * j + 1));
  });
  const dot = (a: (k: number) => number, b: (k: number) => number) => {
    let sum = 0;
    for (let k = 0; k < PDQ_SIDE; k++) sum = Math.fround(sum + Math.fround(a(k) * b(k)));
    return sum;
  };
  const partial = new Float32Array(DCT_SIDE * PDQ_SIDE);
  for (let i = 0; i < DCT_SIDE; i++) {
    for (let j = 0; j < PDQ_SIDE; j++) {
      partial[i * PDQ_SIDE + j] = dot(
        (k) => basis[i * PDQ_SIDE + k] as number,
        (k) => image[k * PDQ_SIDE + j] as number,
      );
    }
  }
  const out = new Float32Array(DCT_SIDE * DCT_SIDE);
  for (let i = 0; i < DCT_SIDE; i++) {
    for (let j = 0; j < DCT_SIDE; j++) {
      out[i * DCT_SIDE + j] = dot(
        (k) => partial[i * PDQ_SIDE + k] as number,
        (k) => basis[j * PDQ_SIDE + k] as number,
      );
    }
  }
  return out;
}

describe('dct64To16', () => {
  it.each([1, 2, 3])('matches the reference, bit for bit (seed %i), and clears its working copies', (seed) => {
    const next = seededRandom(seed);
    const image = Float32Array.from({ length: PDQ_SIDE * PDQ_SIDE }, () => Math.fround(next() * 255));
    const out = new Float32Array(DCT_SIDE * DCT_SIDE);
    dct64To16(image, out);
    expect(Array.from(out)).toEqual(Array.from(referenceDct(image)));
    const working = new Float32Array(wasmMemory, MEMORY.dctImage, (MEMORY.dctOut + 16 * 16 * 4 - MEMORY.dctImage) / 4);
    expect(working.every((v) => v === 0)).toBe(true);
  });
});
