import { describe, expect, it } from 'vitest';
import { instantOf, localDay, wallClock } from '../src/local-time.ts';

const brussels = 'Europe/Brussels';
const at = (iso: string) => Date.parse(iso);

describe('localDay', () => {
  it('changes at Brussels midnight, an hour before UTC midnight in winter and two in summer', () => {
    expect(localDay(at('2026-01-14T22:59:59Z'), brussels)).toBe('2026-01-14');
    expect(localDay(at('2026-01-14T23:00:00Z'), brussels)).toBe('2026-01-15');
    expect(localDay(at('2026-07-14T21:59:59Z'), brussels)).toBe('2026-07-14');
    expect(localDay(at('2026-07-14T22:00:00Z'), brussels)).toBe('2026-07-15');
    expect(localDay(at('2026-07-14T22:00:00Z'), 'UTC')).toBe('2026-07-14');
  });

  it('keeps the days around a daylight-saving change whole: 23 hours in March, 25 in October', () => {
    // 29 March 2026: clocks go from 02:00 CET to 03:00 CEST (01:00 UTC).
    expect(localDay(at('2026-03-28T22:59:59Z'), brussels)).toBe('2026-03-28');
    expect(localDay(at('2026-03-28T23:00:00Z'), brussels)).toBe('2026-03-29');
    expect(localDay(at('2026-03-29T21:59:59Z'), brussels)).toBe('2026-03-29');
    expect(localDay(at('2026-03-29T22:00:00Z'), brussels)).toBe('2026-03-30');
    // 25 October 2026: clocks go from 03:00 CEST back to 02:00 CET (01:00 UTC).
    expect(localDay(at('2026-10-24T21:59:59Z'), brussels)).toBe('2026-10-24');
    expect(localDay(at('2026-10-24T22:00:00Z'), brussels)).toBe('2026-10-25');
    expect(localDay(at('2026-10-25T22:59:59Z'), brussels)).toBe('2026-10-25');
    expect(localDay(at('2026-10-25T23:00:00Z'), brussels)).toBe('2026-10-26');
  });
});

describe('wallClock and instantOf', () => {
  it('are inverse away from a change, and land after the skipped hour of a spring change', () => {
    const summer = at('2026-07-14T10:00:00Z');
    expect(wallClock(summer, brussels)).toBe(at('2026-07-14T12:00:00Z'));
    expect(instantOf(at('2026-07-14T12:00:00Z'), brussels)).toBe(summer);
    expect(instantOf(at('2026-03-29T00:00:00Z'), brussels)).toBe(at('2026-03-28T23:00:00Z'));
    expect(instantOf(at('2026-03-30T00:00:00Z'), brussels)).toBe(at('2026-03-29T22:00:00Z'));
  });
});
