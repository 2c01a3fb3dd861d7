/**
 * Wall-clock times in an IANA time zone (the hotline's: HOTLINE_TIME_ZONE), from the runtime's
 * Intl data, so daylight-saving changes are the zone's own. Pure.
 */

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
export function wallClock(ms: number, timeZone: string): number {
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
export function instantOf(wall: number, timeZone: string): number {
  // The zone's offset near the answer; a second pass settles a daylight-saving change in between.
  let instant = wall - (wallClock(wall, timeZone) - wall);
  instant = wall - (wallClock(instant, timeZone) - instant);
  return instant;
}

/** The local calendar day of `ms` in `timeZone`, `YYYY-MM-DD`: it begins at local midnight, whatever the offset. */
export function localDay(ms: number, timeZone: string): string {
  return new Date(wallClock(ms, timeZone)).toISOString().slice(0, 10);
}
