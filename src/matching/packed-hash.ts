/**
 * 256-bit hashes packed as eight 32-bit words (big-endian: word 0 is the first eight hex digits),
 * the layout the match index stores them in.
 */
export const HASH_WORDS = 8;
const HEX_256 = /^[0-9a-f]{64}$/;

export function isHex256(hex: string): boolean {
  return HEX_256.test(hex);
}

/** Writes a 64-digit lowercase hex hash into `out` at word offset `at`. */
export function packHex(hex: string, out: Uint32Array = new Uint32Array(HASH_WORDS), at = 0): Uint32Array {
  if (!isHex256(hex)) throw new Error('expected 64 lowercase hex digits');
  for (let w = 0; w < HASH_WORDS; w++) out[at + w] = Number.parseInt(hex.slice(w * 8, w * 8 + 8), 16);
  return out;
}

export function popcount32(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  v = (v + (v >>> 4)) & 0x0f0f0f0f;
  return Math.imul(v, 0x01010101) >>> 24;
}

/**
 * Hamming distance between the hash at word offset `at` of `hashes` and `query`, if it is at most
 * `limit`; otherwise some number above `limit` (it stops counting early: most hashes are far).
 */
export function boundedDistance(hashes: Uint32Array, at: number, query: Uint32Array, limit: number): number {
  let distance = 0;
  for (let w = 0; w < HASH_WORDS && distance <= limit; w++)
    distance += popcount32((hashes[at + w] ?? 0) ^ (query[w] ?? 0));
  return distance;
}

/**
 * Linear scan of hashes [from, to) of a packed array: calls `found(position, distance)` for each one
 * within `radius` of `query`. The baseline the index is measured against, and how it searches the
 * few hashes added since its last rebuild.
 */
export function scanRange(
  hashes: Uint32Array,
  from: number,
  to: number,
  query: Uint32Array,
  radius: number,
  found: (position: number, distance: number) => void,
): void {
  for (let p = from; p < to; p++) {
    const distance = boundedDistance(hashes, p * HASH_WORDS, query, radius);
    if (distance <= radius) found(p, distance);
  }
}
