import { randomBytes, randomInt } from 'node:crypto';

/** Random lowercase hex of `bytes` bytes: a stand-in signal value. */
export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** The 256-bit hex hash with the given bits (0 = least significant) flipped. */
export function flipBits(hex: string, bits: readonly number[]): string {
  let value = BigInt(`0x${hex}`);
  for (const bit of bits) value ^= 1n << BigInt(bit);
  return value.toString(16).padStart(hex.length, '0');
}

/** The hash with `count` distinct bits flipped: exactly that far from it. */
export function atDistance(hex: string, count: number): string {
  const bits = new Set<number>();
  while (bits.size < count) bits.add(randomInt(256));
  return flipBits(hex, [...bits]);
}
