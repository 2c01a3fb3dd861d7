/**
 * Working hours in a time zone (default Mon-Fri 09:00-17:00 Europe/Brussels): when reminders to a
 * hosting provider may go out. Pure: the time zone rules come from the runtime's Intl data.
 */
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

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The local wall-clock time of `ms` in `timeZone`, read as if it were UTC. */
function wallClock(ms: number, timeZone: string): number {
  const parts = Object.fromEntries(
    formatterOf(timeZone)
      .formatToParts(ms)
      .map((p) => [p.type, Number(p.value)]),
  );
  return Date.UTC(
    parts.year ?? 0,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
}

/** The instant whose local wall-clock time is `wall` (ms of a UTC-read wall clock). */
function instantOf(wall: number, timeZone: string): number {
  // The zone's offset near the answer; a second pass settles a daylight-saving change in between.
  let instant = wall - (wallClock(wall, timeZone) - wall);
  instant = wall - (wallClock(instant, timeZone) - instant);
  return instant;
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
