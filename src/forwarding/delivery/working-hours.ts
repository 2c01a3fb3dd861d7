/**
 * Working hours in a time zone (default Mon-Fri 09:00-17:00 Europe/Brussels): when reminders to a
 * hosting provider may go out. Pure: the time zone rules come from the runtime's Intl data.
 */
import { instantOf, wallClock } from '../../local-time.ts';

export interface WorkingHours {
  /** IANA name, e.g. Europe/Brussels. */
  timeZone: string;
  /** ISO weekdays, 1 Monday .. 7 Sunday; a range that wraps (6-2) runs over the weekend. */
  firstDay: number;
  lastDay: number;
  /** Minutes into the local day: [startMinute, endMinute). */
  startMinute: number;
  endMinute: number;
}

const dayMs = 86_400_000;

function isWorkingDay(isoWeekday: number, hours: WorkingHours): boolean {
  return hours.firstDay <= hours.lastDay
    ? isoWeekday >= hours.firstDay && isoWeekday <= hours.lastDay
    : isoWeekday >= hours.firstDay || isoWeekday <= hours.lastDay;
}

/** The first moment at or after `ms` that lies within working hours. */
export function nextWorkingMoment(ms: number, hours: WorkingHours): number {
  const wall = wallClock(ms, hours.timeZone);
  const localMidnight = wall - (((wall % dayMs) + dayMs) % dayMs);
  for (let day = 0; day <= 7; day += 1) {
    const midnight = localMidnight + day * dayMs;
    const isoWeekday = ((new Date(midnight).getUTCDay() + 6) % 7) + 1;
    if (!isWorkingDay(isoWeekday, hours)) continue;
    const start = instantOf(midnight + hours.startMinute * 60_000, hours.timeZone);
    const end = instantOf(midnight + hours.endMinute * 60_000, hours.timeZone);
    if (ms < end) return Math.max(ms, start);
  }
  // Unreachable with at least one working day (the configuration guarantees it).
  return ms;
}

export function isWithinWorkingHours(ms: number, hours: WorkingHours): boolean {
  return nextWorkingMoment(ms, hours) === ms;
}
