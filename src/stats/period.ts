import { Invalid } from '../errors.ts';

const dayMs = 86_400_000;

/** A span of whole UTC days: `start` inclusive, `end` exclusive (ms since the epoch). */
export interface Period {
  start: number;
  end: number;
}

const isoDay = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Midnight UTC of a `YYYY-MM-DD` day, or undefined when it is no real day (2026-02-30). */
function dayStart(value: string): number | undefined {
  const m = isoDay.exec(value);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().slice(0, 10) === value ? ms : undefined;
}

/** From the first day to the last day, both included; throws `Invalid` naming the bad field. */
export function periodOfDays(from: string, to: string): Period {
  const start = dayStart(from);
  const last = dayStart(to);
  if (start === undefined) throw new Invalid({ from: 'error.field.invalid' });
  if (last === undefined) throw new Invalid({ to: 'error.field.invalid' });
  if (last < start) throw new Invalid({ to: 'error.stats.period' });
  return { start, end: last + dayMs };
}

/** A calendar year, UTC. */
export function periodOfYear(year: number): Period {
  return { start: Date.UTC(year, 0, 1), end: Date.UTC(year + 1, 0, 1) };
}

/** `YYYY-MM` of a time, UTC. */
export const monthOf = (ms: number) => new Date(ms).toISOString().slice(0, 7);

/** Every month the period touches, in order. */
export function monthsOf(period: Period): string[] {
  const months: string[] = [];
  const d = new Date(period.start);
  let cursor = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  while (cursor < period.end) {
    months.push(monthOf(cursor));
    const c = new Date(cursor);
    cursor = Date.UTC(c.getUTCFullYear(), c.getUTCMonth() + 1, 1);
  }
  return months;
}

/** The period as the first and last day, both included, for people and files. */
export const periodDays = (period: Period) => ({
  from: new Date(period.start).toISOString().slice(0, 10),
  to: new Date(period.end - dayMs).toISOString().slice(0, 10),
});
