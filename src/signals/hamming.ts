// Bits set in each value of a hex digit, so a distance costs one table look-up per character.
const NIBBLE_BITS = Uint8Array.from({ length: 16 }, (_, n) => (n & 1) + ((n >> 1) & 1) + ((n >> 2) & 1) + (n >> 3));

/**
 * Hamming distance between two hex hashes of the same length (e.g. two 256-bit PDQ or blockhash
 * values): the number of bits in which they differ. Case-insensitive; throws on malformed input
 * rather than returning a distance that would look like a match.
 */
export function hammingDistanceHex(a: string, b: string): number {
  if (a.length !== b.length) throw new RangeError(`hash lengths differ: ${a.length} and ${b.length}`);
  let distance = 0;
  for (let i = 0; i < a.length; i++) {
    const x = Number.parseInt(a[i] as string, 16);
    const y = Number.parseInt(b[i] as string, 16);
    if (Number.isNaN(x) || Number.isNaN(y)) throw new RangeError(`not a hex hash at position ${i}`);
    distance += NIBBLE_BITS[x ^ y] as number;
  }
  return distance;
}
