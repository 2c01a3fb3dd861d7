import { describe, expect, it } from 'vitest';
import { isWithinWorkingHours, nextWorkingMoment } from '../../../src/forwarding/delivery/working-hours.ts';

const brussels = { timeZone: 'Europe/Brussels', firstDay: 1, lastDay: 5, startMinute: 9 * 60, endMinute: 17 * 60 };
const utc = (iso: string) => Date.parse(iso);
const next = (iso: string, hours = brussels) => new Date(nextWorkingMoment(utc(iso), hours)).toISOString();

describe('working hours (Mon-Fri 09:00-17:00 Europe/Brussels by default)', () => {
  it.each([
    ['inside, winter (UTC+1): unchanged', '2026-12-02T10:30:00.000Z', '2026-12-02T10:30:00.000Z'],
    ['before 09:00 local: that morning', '2026-12-02T07:00:00.000Z', '2026-12-02T08:00:00.000Z'],
    ['at 17:00 local: the next morning', '2026-12-02T16:00:00.000Z', '2026-12-03T08:00:00.000Z'],
    ['a minute before 17:00: unchanged', '2026-12-02T15:59:00.000Z', '2026-12-02T15:59:00.000Z'],
    ['Friday evening: Monday 09:00', '2026-12-04T17:30:00.000Z', '2026-12-07T08:00:00.000Z'],
    ['Saturday: Monday 09:00', '2026-12-05T12:00:00.000Z', '2026-12-07T08:00:00.000Z'],
    ['summer (UTC+2): 09:00 local is 07:00 UTC', '2026-07-04T12:00:00.000Z', '2026-07-06T07:00:00.000Z'],
    [
      'Saturday before the spring change: Monday in summer time',
      '2026-03-28T12:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
    ],
    [
      'Friday night before the autumn change: Monday in winter time',
      '2026-10-23T20:00:00.000Z',
      '2026-10-26T08:00:00.000Z',
    ],
    ['local midnight of a weekday (UTC still the day before)', '2026-12-01T23:30:00.000Z', '2026-12-02T08:00:00.000Z'],
  ])('%s', (_name, at, expected) => {
    expect(next(at)).toBe(expected);
  });

  it('takes other days, hours and zones, a range that wraps over the weekend included', () => {
    const weekend = { timeZone: 'UTC', firstDay: 6, lastDay: 1, startMinute: 0, endMinute: 24 * 60 };
    expect(next('2026-12-02T10:00:00.000Z', weekend)).toBe('2026-12-05T00:00:00.000Z');
    expect(next('2026-12-07T10:00:00.000Z', weekend)).toBe('2026-12-07T10:00:00.000Z');
    const tokyo = { timeZone: 'Asia/Tokyo', firstDay: 1, lastDay: 5, startMinute: 8 * 60, endMinute: 12 * 60 };
    expect(next('2026-12-02T04:00:00.000Z', tokyo)).toBe('2026-12-02T23:00:00.000Z');
  });

  it('is within working hours exactly when the next working moment is now', () => {
    expect(isWithinWorkingHours(utc('2026-12-02T10:30:00Z'), brussels)).toBe(true);
    expect(isWithinWorkingHours(utc('2026-12-05T10:30:00Z'), brussels)).toBe(false);
    expect(isWithinWorkingHours(utc('2026-12-02T08:00:00Z'), brussels)).toBe(true);
    expect(isWithinWorkingHours(utc('2026-12-02T07:59:59Z'), brussels)).toBe(false);
  });
});
