import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HammingIndex, type IndexHit } from '../../src/matching/match-index.ts';
import { packHex } from '../../src/matching/packed-hash.ts';
import { flipBits } from '../support/hashes.ts';

// The oracle is deliberately naive: hex strings, BigInt XOR, count the ones.
function distance(a: string, b: string): number {
  return [...(BigInt(`0x${a}`) ^ BigInt(`0x${b}`)).toString(2)].filter((bit) => bit === '1').length;
}

function linearScan(entries: ReadonlyMap<number, string>, query: string, radius: number): IndexHit[] {
  const hits: IndexHit[] = [];
  for (const [id, hash] of entries) {
    const d = distance(hash, query);
    if (d <= radius) hits.push({ id, distance: d });
  }
  return byId(hits);
}

/** Queries as the catch-up index does after a refresh: tables rebuilt first when stale. */
function search(index: HammingIndex, query: Uint32Array, radius: number): IndexHit[] {
  index.rebuildIfStale();
  return index.query(query, radius);
}

function byId(hits: IndexHit[]): IndexHit[] {
  return [...hits].sort((a, b) => a.id - b.id);
}

const hash = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => Buffer.from(bytes).toString('hex'));
const allBits = Array.from({ length: 256 }, (_, i) => i);
/** Enough hashes that the index builds its slot tables rather than scanning. */
const background = fc.array(hash, { minLength: 600, maxLength: 900 });
const tablesBuilt = 16 * 65537 * 4;

describe('HammingIndex', () => {
  it('returns exactly what a linear scan returns, on random data at any radius', () => {
    fc.assert(
      fc.property(background, hash, fc.integer({ min: 0, max: 140 }), (hashes, query, radius) => {
        const index = new HammingIndex();
        const entries = new Map<number, string>();
        hashes.forEach((h, i) => {
          index.add(i + 1, packHex(h));
          entries.set(i + 1, h);
        });
        expect(byId(search(index, packHex(query), radius))).toEqual(linearScan(entries, query, radius));
      }),
      { numRuns: 40 },
    );
  });

  it('finds planted neighbours at every distance from 0 to the threshold', () => {
    const plantedAt = (threshold: number) =>
      fc.tuple(
        ...Array.from({ length: threshold + 1 }, (_, d) =>
          fc.shuffledSubarray(allBits, { minLength: d, maxLength: d }),
        ),
      );
    for (const threshold of [10, 31]) {
      fc.assert(
        fc.property(background, hash, plantedAt(threshold), (hashes, query, flips) => {
          const index = new HammingIndex();
          const entries = new Map<number, string>();
          const add = (id: number, h: string) => {
            index.add(id, packHex(h));
            entries.set(id, h);
          };
          for (const [i, h] of hashes.entries()) add(i + 1, h);
          const plantedIds = flips.map((bits, d) => {
            add(100_000 + d, flipBits(query, bits));
            return 100_000 + d;
          });
          const hits = byId(search(index, packHex(query), threshold));
          expect(index.memoryBytes()).toBeGreaterThan(tablesBuilt);
          expect(hits).toEqual(linearScan(entries, query, threshold));
          const planted = hits.filter((hit) => hit.id >= 100_000);
          expect(planted).toEqual(plantedIds.map((id, d) => ({ id, distance: d })));
        }),
        { numRuns: 25 },
      );
    }
  });

  it('stays equal to a linear scan through adds, removals and queries in any order', () => {
    const operation = fc.oneof(
      {
        weight: 6,
        arbitrary: fc.record({ op: fc.constant('add' as const), hash, id: fc.integer({ min: 1, max: 5000 }) }),
      },
      {
        weight: 2,
        arbitrary: fc.record({
          op: fc.constant('remove' as const),
          id: fc.oneof(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 10_000, max: 20_000 })),
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({ op: fc.constant('query' as const), hash, radius: fc.integer({ min: 0, max: 40 }) }),
      },
    );
    fc.assert(
      fc.property(background, fc.array(operation, { minLength: 1, maxLength: 400 }), (initial, operations) => {
        const index = new HammingIndex();
        const entries = new Map<number, string>();
        // Ids out of order, so removal cannot count on them ascending.
        initial.forEach((h, i) => {
          const id = 10_000 + ((i * 7919) % 9973);
          if (entries.has(id)) return;
          index.add(id, packHex(h));
          entries.set(id, h);
        });
        for (const step of operations) {
          if (step.op === 'add' && !entries.has(step.id)) {
            index.add(step.id, packHex(step.hash));
            entries.set(step.id, step.hash);
          } else if (step.op === 'remove') {
            expect(index.remove(step.id)).toBe(entries.delete(step.id));
          } else if (step.op === 'query') {
            const query = step.radius % 2 ? step.hash : (entries.values().next().value ?? step.hash);
            expect(byId(search(index, packHex(query), step.radius))).toEqual(linearScan(entries, query, step.radius));
          }
          expect(index.size).toBe(entries.size);
        }
        for (const [id, h] of entries) expect(search(index, packHex(h), 0).some((hit) => hit.id === id)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('compacts removed hashes and indexes added ones without losing any', () => {
    fc.assert(
      fc.property(
        fc.array(hash, { minLength: 1500, maxLength: 1500 }),
        fc.integer({ min: 0, max: 40 }),
        (hashes, radius) => {
          const index = new HammingIndex();
          const entries = new Map<number, string>();
          const hashAt = (id: number) => hashes[id] ?? '';
          const add = (id: number) => {
            index.add(id, packHex(hashAt(id)));
            entries.set(id, hashAt(id));
          };
          const check = () => {
            for (const query of [hashAt(0), hashAt(1499)]) {
              expect(byId(search(index, packHex(query), radius))).toEqual(linearScan(entries, query, radius));
            }
          };
          for (let id = 0; id < 1000; id++) add(id);
          check();
          for (let id = 0; id < 1000; id += 3) expect(index.remove(id)).toBe(entries.delete(id));
          expect(index.remove(0)).toBe(false);
          check();
          for (let id = 1000; id < 1500; id++) add(id);
          check();
          expect(index.size).toBe(entries.size);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('refuses ids that do not fit in 32 bits', () => {
    const index = new HammingIndex();
    expect(() => index.add(-1, packHex('0'.repeat(64)))).toThrow(RangeError);
    expect(() => index.add(2 ** 32, packHex('0'.repeat(64)))).toThrow(RangeError);
  });
});
