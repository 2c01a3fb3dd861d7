import { describe, expect, it } from 'vitest';
import { deliveryBackoffMs } from '../../../src/forwarding/delivery/backoff.ts';

const retry = { minMs: 60_000, maxMs: 6 * 3_600_000 };

describe('the wait between delivery attempts', () => {
  it('doubles from the minimum (1 min) to the cap (6 h), without jitter at random 0', () => {
    const waits = [1, 2, 3, 4, 5, 10, 20, 1000].map((attempt) => deliveryBackoffMs(attempt, retry, () => 0));
    expect(waits).toEqual([60_000, 120_000, 240_000, 480_000, 960_000, 21_600_000, 21_600_000, 21_600_000]);
  });

  it('takes up to a quarter off at random, never below the minimum nor above the cap', () => {
    expect(deliveryBackoffMs(3, retry, () => 0.999_999)).toBeCloseTo(180_000, -1);
    expect(deliveryBackoffMs(1, retry, () => 0.999_999)).toBe(60_000);
    expect(deliveryBackoffMs(50, retry, () => 0.5)).toBe(18_900_000);
    for (let attempt = 1; attempt < 30; attempt++) {
      const wait = deliveryBackoffMs(attempt, retry);
      expect(wait).toBeGreaterThanOrEqual(retry.minMs);
      expect(wait).toBeLessThanOrEqual(retry.maxMs);
    }
  });

  it('spreads forwards that failed together', () => {
    const waits = new Set(Array.from({ length: 20 }, () => deliveryBackoffMs(6, retry)));
    expect(waits.size).toBeGreaterThan(10);
  });
});
