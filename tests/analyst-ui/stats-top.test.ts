import { describe, expect, it } from 'vitest';
import { largestFirst, topAndRest } from '../../analyst-ui/src/stats-types.ts';

describe('the largest counts and the rest, for a one-page summary', () => {
  const counts = { NL: 3, DE: 9, unknown: 1, FR: 9, US: 4, LU: 2 };

  it('orders the largest first, a tie keeping the order it came in', () => {
    expect(largestFirst(counts).map(([k]) => k)).toEqual(['DE', 'FR', 'US', 'NL', 'LU', 'unknown']);
  });

  it('sums what does not fit into one row', () => {
    expect(topAndRest(counts, 3)).toEqual({
      top: [
        ['DE', 9],
        ['FR', 9],
        ['US', 4],
      ],
      rest: 3 + 2 + 1,
    });
  });

  it('shows a single left-over row as itself rather than as "other"', () => {
    expect(topAndRest(counts, 5)).toEqual({ top: largestFirst(counts), rest: null });
    expect(topAndRest({}, 5)).toEqual({ top: [], rest: null });
  });
});
