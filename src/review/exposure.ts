import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { analystExposure } from '../db/schema/review.ts';
import type { ReviewDeps } from './claims.ts';
import { utcDay } from './queue.ts';
import { readSettings } from './settings.ts';

/** Share of the daily limit from which the workspace warns. */
export const exposureWarningShare = 0.8;

export function exposureMsToday(db: DbOrTx, userId: number, now: number): number {
  return (
    db
      .select({ ms: analystExposure.ms })
      .from(analystExposure)
      .where(and(eq(analystExposure.userId, userId), eq(analystExposure.day, utcDay(now))))
      .get()?.ms ?? 0
  );
}

/** The caller's viewing time today against the daily limit: `warning` from 80 %, `exhausted` at the limit. */
export function exposureToday(deps: ReviewDeps, userId: number) {
  const now = deps.now();
  const usedMs = exposureMsToday(deps.db, userId, now);
  const limitMs = readSettings(deps.db, deps.config).exposureLimitMinutes * 60_000;
  return {
    day: utcDay(now),
    usedMs,
    limitMs,
    warning: usedMs >= limitMs * exposureWarningShare,
    exhausted: usedMs >= limitMs,
  };
}
