import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { localDay } from '../local-time.ts';

/** The queues an analyst sees on the home screen. Items still in triage, or decided, are in none of them. */
export const queueNames = ['new', 'to_confirm', 'disputed', 'known', 'unreachable', 'gone'] as const;
export type QueueName = (typeof queueNames)[number];

/** How long "Next" holds an item for the analyst who drew it; others see the lock. */
export const claimMs = 15 * 60_000;
const hourMs = 3_600_000;
/** The most points waiting can earn (the same cap as triage's `waiting` reason, src/triage/priority.ts). */
export const maxAgePoints = 24;

/** The queue of an item with this triage state and review queue (`triage` while triage still runs). */
export function queueOf(state: string, reviewQueue: string | null): string {
  if (reviewQueue !== null) return reviewQueue;
  if (state === 'ready') return 'new';
  if (state === 'known') return 'known';
  if (state === 'unreachable' || state === 'failed') return 'unreachable';
  return 'triage';
}

/** The SQL condition for items `i` in one queue, on the columns of the queue indexes. */
export function inQueue(queue: QueueName): SQL {
  switch (queue) {
    case 'new':
      return sql`(i.state = 'ready' and i.review_queue is null)`;
    case 'known':
      return sql`(i.state = 'known' and i.review_queue is null)`;
    case 'unreachable':
      return sql`(i.state in ('unreachable', 'failed') and i.review_queue is null)`;
    default:
      return sql`i.review_queue = ${queue}`;
  }
}

/** Points waiting has earned at `now`: one an hour, capped. Added when the queue is read, so old items rise. */
export const agePoints = (firstReportedAt: number, now: number): number =>
  Math.min(maxAgePoints, Math.max(0, Math.floor((now - firstReportedAt) / hourMs)));

/** Priority as the queue reads it: triage's score plus the points waiting has earned by now. */
export const effectivePriority = (now: number): SQL =>
  sql`(i.priority + min(${maxAgePoints}, max(0, (${now} - i.first_reported_at) / ${hourMs})))`;

/** Items per queue: one pass over a covering index of the item table. */
export function countQueues(db: DbOrTx): Record<QueueName, number> {
  const counts = Object.fromEntries(queueNames.map((q) => [q, 0])) as Record<QueueName, number>;
  const rows = db.all<{ state: string; reviewQueue: string | null; n: number }>(
    sql`select state, review_queue as reviewQueue, count(*) as n from items group by state, review_queue`,
  );
  for (const row of rows) {
    const queue = queueOf(row.state, row.reviewQueue);
    if (queue in counts) counts[queue as QueueName] += row.n;
  }
  return counts;
}

/**
 * Items of the `new` queue that `userId` may draw now: unclaimed (or claim lapsed) and not skipped
 * by them `today` (the hotline's local day, see localDay).
 */
function drawable(userId: number, now: number, today: string): SQL {
  return sql`${inQueue('new')}
    and not exists (select 1 from item_reviews r where r.item_id = i.id and r.claimed_until > ${now})
    and not exists (select 1 from item_skips s where s.user_id = ${userId} and s.day = ${today} and s.item_id = i.id)`;
}

/**
 * The item `userId` should draw: the highest priority once waiting is added, the oldest first
 * among equals, then the lowest id. The queue index is walked one priority level at a time, taking
 * the oldest drawable item of each level (the best of its level); waiting adds at most
 * `maxAgePoints`, so no level that far below the best found can win. At most that many seeks,
 * however long the queue.
 */
export function nextDrawableItem(db: DbOrTx, userId: number, now: number, timeZone: string): number | undefined {
  const today = localDay(now, timeZone);
  let best: { id: number; score: number; firstReportedAt: number } | undefined;
  let below = Number.MAX_SAFE_INTEGER;
  for (;;) {
    const row = db.get<{ id: number; priority: number; firstReportedAt: number } | undefined>(
      sql`select i.id, i.priority, i.first_reported_at as firstReportedAt from items i
        where ${drawable(userId, now, today)} and i.priority < ${below}
        order by i.priority desc, i.first_reported_at asc, i.id asc limit 1`,
    );
    if (!row || (best && row.priority + maxAgePoints < best.score)) return best?.id;
    const score = row.priority + agePoints(row.firstReportedAt, now);
    const better =
      !best ||
      score > best.score ||
      (score === best.score &&
        (row.firstReportedAt < best.firstReportedAt ||
          (row.firstReportedAt === best.firstReportedAt && row.id < best.id)));
    if (better) best = { id: row.id, score, firstReportedAt: row.firstReportedAt };
    below = row.priority;
  }
}

/** The item `userId` holds a live claim on, if any: Next gives it back rather than drawing another. */
export function heldClaim(db: DbOrTx, userId: number, now: number): number | undefined {
  return db.get<{ id: number } | undefined>(
    sql`select r.item_id as id from item_reviews r join items i on i.id = r.item_id
      where r.claimed_by = ${userId} and r.claimed_until > ${now} and i.review_queue is null limit 1`,
  )?.id;
}
