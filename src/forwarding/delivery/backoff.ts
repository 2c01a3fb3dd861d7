/**
 * The wait before the next delivery attempt: doubling from `minMs` up to `maxMs`, with up to a
 * quarter taken off at random so that forwards that failed together (a relay down) do not all
 * come back in the same second. Never below `minMs`, never above `maxMs`.
 */
export function deliveryBackoffMs(
  failedAttempts: number,
  retry: { minMs: number; maxMs: number },
  random: () => number = Math.random,
): number {
  const doublings = Math.min(Math.max(0, failedAttempts - 1), 40);
  const base = Math.min(retry.minMs * 2 ** doublings, retry.maxMs);
  return Math.max(retry.minMs, Math.round(base * (1 - 0.25 * random())));
}
