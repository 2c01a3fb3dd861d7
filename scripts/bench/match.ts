import { randomFillSync, randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { HammingIndex } from '../../src/matching/match-index.ts';
import { HASH_WORDS, scanRange } from '../../src/matching/packed-hash.ts';

/**
 * The multi-index against a linear scan of the same packed array: 1,000,000 hashes (random, plus
 * two planted neighbours per query at random distances up to 31), 1,000 queries at radius 10 and 31.
 */
const N = 1_000_000;
const QUERIES = 1_000;
const PLANTED_PER_QUERY = 2;
const MAX_PLANTED_DISTANCE = 31;

export default async function benchMatch(): Promise<void> {
  const queries = randomFillSync(new Uint32Array(QUERIES * HASH_WORDS));
  const hashes = randomFillSync(new Uint32Array(N * HASH_WORDS));
  // The planted neighbours overwrite random hashes at random positions.
  for (let q = 0; q < QUERIES; q++) {
    for (let k = 0; k < PLANTED_PER_QUERY; k++) {
      const at = randomInt(N) * HASH_WORDS;
      hashes.set(queries.subarray(q * HASH_WORDS, (q + 1) * HASH_WORDS), at);
      flipRandomBits(hashes, at, randomInt(MAX_PLANTED_DISTANCE + 1));
    }
  }

  const index = new HammingIndex();
  const buildStart = performance.now();
  for (let p = 0; p < N; p++) index.add(p, hashes, p * HASH_WORDS);
  index.rebuildIfStale();
  const buildMs = performance.now() - buildStart;
  const bytesPerHash = index.memoryBytes() / N;
  print({ bench: 'match', step: 'build', n: N, buildMs: round(buildMs), bytesPerHash: round(bytesPerHash) });

  const speedups: number[] = [];
  for (const radius of [10, 31]) {
    const indexed = timeQueries((query) => index.query(query, radius).map((hit) => hit.id));
    const scanned = timeQueries((query) => linearScan(hashes, query, radius));
    for (const [q, ids] of indexed.results.entries()) {
      if (!sameIds(ids, scanned.results[q] ?? [])) throw new Error(`radius ${radius}: query ${q} differs`);
    }
    const matches = indexed.results.reduce((sum, ids) => sum + ids.length, 0);
    const speedup = scanned.ms / indexed.ms;
    speedups.push(speedup);
    print({
      bench: 'match',
      radius,
      queries: QUERIES,
      matches,
      indexMs: round(indexed.ms),
      scanMs: round(scanned.ms),
      speedup: round(speedup),
    });
  }
  print({
    bench: 'match',
    n: N,
    speedupR10: round(speedups[0] ?? 0),
    speedupR31: round(speedups[1] ?? 0),
    bytesPerHash: round(bytesPerHash),
  });

  function timeQueries(run: (query: Uint32Array) => number[]): { ms: number; results: number[][] } {
    const results: number[][] = [];
    const start = performance.now();
    for (let q = 0; q < QUERIES; q++) results.push(run(queries.subarray(q * HASH_WORDS, (q + 1) * HASH_WORDS)));
    return { ms: performance.now() - start, results };
  }
}

function linearScan(hashes: Uint32Array, query: Uint32Array, radius: number): number[] {
  const ids: number[] = [];
  scanRange(hashes, 0, hashes.length / HASH_WORDS, query, radius, (position) => ids.push(position));
  return ids;
}

/** Flips `count` distinct random bits of the hash at word offset `at`. */
function flipRandomBits(words: Uint32Array, at: number, count: number): void {
  const bits = new Set<number>();
  while (bits.size < count) bits.add(randomInt(256));
  for (const bit of bits) {
    const w = at + (bit >> 5);
    words[w] = (words[w] ?? 0) ^ (1 << (31 - (bit & 31)));
  }
}

function sameIds(a: number[], b: number[]): boolean {
  if (a.length !== b.length) return false;
  const sorted = [...a].sort((x, y) => x - y);
  return sorted.every((id, i) => id === b[i]);
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

function print(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}
