import { timingSafeEqual } from 'node:crypto';

/** Compares two secrets (tokens, signatures) in time that does not depend on where they differ. */
export function secretsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
