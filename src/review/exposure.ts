import { and, asc, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { users } from '../db/schema/auth.ts';
import { analystExposure } from '../db/schema/review.ts';
import { localDay } from '../local-time.ts';
import type { ReviewDeps } from './claims.ts';
import { readSettings } from './settings.ts';

/** Share of the daily limit from which the workspace warns. */
export const exposureWarningShare = 0.8;

/** The day exposure counts by: the hotline's (HOTLINE_TIME_ZONE), so the budget renews at its midnight. */
export const exposureDay = (now: number, timeZone: string): string => localDay(now, timeZone);

export function exposureMsToday(db: DbOrTx, userId: number, now: number, timeZone: string): number {
  return (
    db
      .select({ ms: analystExposure.ms })
      .from(analystExposure)
      .where(and(eq(analystExposure.userId, userId), eq(analystExposure.day, exposureDay(now, timeZone))))
      .get()?.ms ?? 0
  );
}

/** The caller's viewing time today against the daily limit: `warning` from 80 %, `exhausted` at the limit. */
export function exposureToday(deps: ReviewDeps, userId: number) {
  const now = deps.now();
  const usedMs = exposureMsToday(deps.db, userId, now, deps.config.timeZone);
  const limitMs = readSettings(deps.db, deps.config).exposureLimitMinutes * 60_000;
  return {
    day: exposureDay(now, deps.config.timeZone),
    usedMs,
    limitMs,
    warning: usedMs >= limitMs * exposureWarningShare,
    exhausted: usedMs >= limitMs,
  };
}

/** Every active account's viewing time today, for supervisors. */
export function teamExposureToday(
  db: DbOrTx,
  now: number,
  timeZone: string,
): { userId: number; username: string; usedMs: number }[] {
  return db
    .select({ userId: users.id, username: users.username, ms: analystExposure.ms })
    .from(users)
    .leftJoin(
      analystExposure,
      and(eq(analystExposure.userId, users.id), eq(analystExposure.day, exposureDay(now, timeZone))),
    )
    .where(isNull(users.disabledAt))
    .orderBy(asc(users.username))
    .all()
    .map(({ ms, ...user }) => ({ ...user, usedMs: ms ?? 0 }));
}
