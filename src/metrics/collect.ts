import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { triageJobType } from '../triage/triage-job.ts';

/**
 * The figures /metrics shows, read from the database at each scrape: they are then true across
 * processes (the worker may run apart from the web server) and restarts. Counts and stable ids
 * only: no address, no text, nothing about a reporter or an analyst.
 */
export interface MetricsSnapshot {
  reportsReceived: number;
  itemsByState: { state: string; n: number }[];
  /** Triage outcomes by state and reason (stable ids such as `dns`, `timeout`, `media_limit`). */
  fetchOutcomes: { state: string; reason: string; n: number }[];
  jobsByStatus: { type: string; status: string; n: number }[];
  jobFailures: { type: string; reason: string; n: number }[];
  /** Seconds from due to done of the triage jobs finished in the last day. */
  triageSeconds: number[];
  signInFailures: number;
}

/** The nearest-rank `q` quantile (0 < q <= 1) of ascending, non-empty `sorted`. */
export function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] as number;
}

const stableId = /^[a-z0-9_:.-]{1,64}$/i;
/** Anything that is not a short stable id is folded into `other`: no label may carry an address. */
export const safeLabel = (value: string | null) => (value === null ? 'none' : stableId.test(value) ? value : 'other');

const dayMs = 86_400_000;

export function readMetrics(db: DbOrTx, now: number): MetricsSnapshot {
  const count = (query: ReturnType<typeof sql>) => db.get<{ n: number }>(query)?.n ?? 0;
  return {
    reportsReceived: count(sql`select count(*) as n from reports`),
    itemsByState: db.all(sql`select state, count(*) as n from items group by state`),
    fetchOutcomes: db
      .all<{ state: string; reason: string | null; n: number }>(
        sql`select state, state_reason as reason, count(*) as n from items where fetched_at is not null group by state, state_reason`,
      )
      .map((r) => ({ ...r, reason: safeLabel(r.reason) })),
    jobsByStatus: db.all(sql`select type, status, count(*) as n from jobs group by type, status`),
    jobFailures: db
      .all<{ type: string; reason: string | null; n: number }>(
        sql`select type, last_error as reason, count(*) as n from jobs where last_error is not null group by type, last_error`,
      )
      .map((r) => ({ ...r, reason: safeLabel(r.reason) })),
    triageSeconds: db
      .all<{ ms: number }>(
        sql`select updated_at - available_at as ms from jobs
            where type = ${triageJobType} and status = 'done' and updated_at >= ${now - dayMs}
            order by updated_at desc limit 10000`,
      )
      .map((r) => Math.max(0, r.ms) / 1000),
    signInFailures: count(sql`select count(*) as n from audit_events where action = 'session.login_failed'`),
  };
}

/**
 * How old the oldest job that is due but not taken is, in seconds (0 when none waits), leaving out
 * the `idle` job types, which no worker takes under this configuration.
 */
export function oldestDueJobSeconds(db: DbOrTx, now: number, idle: readonly string[] = []): number {
  const skipped =
    idle.length === 0
      ? sql``
      : sql` and type not in (${sql.join(
          idle.map((type) => sql`${type}`),
          sql`, `,
        )})`;
  const oldest = db.get<{ at: number | null }>(
    sql`select min(available_at) as at from jobs where status = 'pending' and available_at <= ${now}${skipped}`,
  )?.at;
  return oldest == null ? 0 : Math.floor((now - oldest) / 1000);
}
