/**
 * Times that could tell when a reporter acted (report times, log lines) are kept to the minute:
 * a precise time could be matched against someone's network logs.
 */
export const minuteMs = 60_000;

export function startOfMinute(ms: number): number {
  return Math.floor(ms / minuteMs) * minuteMs;
}
