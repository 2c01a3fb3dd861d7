import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundedDistance, HASH_WORDS, packHex, popcount32, scanRange } from '../../src/matching/packed-hash.ts';

const hex256 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex'));

function naiveDistance(a: string, b: string): number {
  return [...(BigInt(`0x${a}`) ^ BigInt(`0x${b}`)).toString(2)].filter((bit) => bit === '1').length;
}

describe('packed hashes', () => {
  it('keep every bit of the hex, most significant first', () => {
    fc.assert(
      fc.property(hex256, (hex) => {
        const words = packHex(hex);
        const value = BigInt(`0x${hex}`);
        for (let bit = 0; bit < HASH_WORDS * 32; bit++) {
          const expected = Number((value >> BigInt(HASH_WORDS * 32 - 1 - bit)) & 1n);
          expect(((words[bit >> 5] ?? 0) >>> (31 - (bit & 31))) & 1).toBe(expected);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('put the first hex digits in the high bits of word 0', () => {
    expect(packHex(`8${'0'.repeat(63)}`)[0]).toBe(0x80000000);
    expect(packHex(`${'0'.repeat(63)}1`)[7]).toBe(1);
  });

  it('refuse anything but 64 lowercase hex digits', () => {
    for (const bad of ['', 'f'.repeat(63), 'F'.repeat(64), `${'0'.repeat(63)}g`]) expect(() => packHex(bad)).toThrow();
  });

  it('count bits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (x) => {
        expect(popcount32(x)).toBe([...x.toString(2)].filter((bit) => bit === '1').length);
      }),
    );
  });

  it('give the exact distance up to the limit, and something above it beyond', () => {
    fc.assert(
      fc.property(hex256, hex256, fc.integer({ min: 0, max: 256 }), (a, b, limit) => {
        const d = boundedDistance(packHex(a), 0, packHex(b), limit);
        const exact = naiveDistance(a, b);
        if (exact <= limit) expect(d).toBe(exact);
        else expect(d).toBeGreaterThan(limit);
      }),
    );
  });

  it('scan a range of a packed array', () => {
    fc.assert(
      fc.property(
        fc.array(hex256, { minLength: 1, maxLength: 40 }),
        hex256,
        fc.integer({ min: 0, max: 256 }),
        (hashes, query, radius) => {
          const packed = new Uint32Array(hashes.length * 8);
          for (const [i, h] of hashes.entries()) packHex(h, packed, i * 8);
          const found: [number, number][] = [];
          scanRange(packed, 1, hashes.length, packHex(query), radius, (p, d) => found.push([p, d]));
          const expected = hashes
            .map((h, p): [number, number] => [p, naiveDistance(h, query)])
            .filter(([p, d]) => p >= 1 && d <= radius);
          expect(found).toEqual(expected);
        },
      ),
    );
  });
});
