import { describe, expect, it } from 'vitest';
import { combineItemStatuses } from '../../src/intake/report-status.ts';

describe('combineItemStatuses', () => {
  it('shows the furthest a reporter can be told', () => {
    expect(combineItemStatuses([])).toBe('received');
    expect(combineItemStatuses(['received', 'received'])).toBe('received');
    expect(combineItemStatuses(['received', 'in_review'])).toBe('in_review');
    expect(combineItemStatuses(['received', 'closed'])).toBe('in_review');
    expect(combineItemStatuses(['closed', 'forwarded'])).toBe('forwarded');
    expect(combineItemStatuses(['closed', 'closed'])).toBe('closed');
  });
});
