import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';

/** The queues an analyst sees on the home screen. Items still in triage are in none of them. */
export const queueNames = ['new', 'to_confirm', 'disputed', 'known', 'unreachable', 'gone'] as const;
export type QueueName = (typeof queueNames)[number];

/** How long "Next" holds an item for the analyst who drew it; others see the lock. */
export const claimMs = 15 * 60_000;
const hourMs = 3_600_000;
/** The most points waiting can earn (the same cap as triage's `waiting` reason, src/triage/priority.ts). */
export const maxAgePoints = 24;

/** The UTC day of a time, `YYYY-MM-DD`: the unit of skips and exposure. */
export const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * An item's queue, in SQL over `items i left join item_reviews r`: the review's own queue once an
 * assessment exists, else the one its triage state gives it (`triage` while triage still runs).
 */
export const queueOf = sql`case
  when r.queue is not null then r.queue
  when i.state = 'ready' then 'new'
  when i.state = 'known' then 'known'
  when i.state in ('unreachable', 'failed') then 'unreachable'
  else 'triage' end`;

/** The SQL condition for items in one queue, written so the indexes on state and queue serve it. */
export function inQueue(queue: QueueName): SQL {
  switch (queue) {
    case 'new':
      return sql`(i.state = 'ready' and r.queue is null)`;
    case 'known':
      return sql`(i.state = 'known' and r.queue is null)`;
    case 'unreachable':
      return sql`(i.state in ('unreachable', 'failed') and r.queue is null)`;
    default:
      return sql`r.queue = ${queue}`;
  }
}

/**
 * Priority as the queue reads it: triage's score plus one point per hour waited (capped), computed
 * now, so an old item rises while it waits rather than keeping the rank it had at triage.
 */
export const effectivePriority = (now: number): SQL =>
  sql`(i.priority + min(${maxAgePoints}, (${now} - i.first_reported_at) / ${hourMs}))`;

export function countQueues(db: DbOrTx): Record<QueueName, number> {
  const counts = Object.fromEntries(queueNames.map((q) => [q, 0])) as Record<QueueName, number>;
  const rows = db.all<{ queue: string; n: number }>(
    sql`select ${queueOf} as queue, count(*) as n from items i left join item_reviews r on r.item_id = i.id group by 1`,
  );
  for (const row of rows) if (row.queue in counts) counts[row.queue as QueueName] = row.n;
  return counts;
}

/** Items of the `new` queue that `userId` may draw now: unclaimed (or claim lapsed) and not skipped by them today. */
function drawable(userId: number, now: number): SQL {
  return sql`${inQueue('new')}
    and (r.claimed_until is null or r.claimed_until <= ${now})
    and not exists (select 1 from item_skips s where s.user_id = ${userId} and s.day = ${utcDay(now)} and s.item_id = i.id)`;
}

/**
 * The highest-priority item `userId` may draw, or undefined. Two index walks instead of sorting
 * the whole queue: the best stored priority among drawable items bounds the search, since waiting
 * adds at most `maxAgePoints`.
 */
export function nextDrawableItem(db: DbOrTx, userId: number, now: number): number | undefined {
  const from = sql`from items i left join item_reviews r on r.item_id = i.id`;
  const top = db.get<{ priority: number } | undefined>(
    sql`select i.priority ${from} where ${drawable(userId, now)} order by i.priority desc limit 1`,
  );
  if (!top) return undefined;
  const best = db.get<{ id: number } | undefined>(
    sql`select i.id ${from} where ${drawable(userId, now)} and i.priority >= ${top.priority - maxAgePoints}
      order by ${effectivePriority(now)} desc, i.id asc limit 1`,
  );
  return best?.id;
}

/** The item `userId` holds a live claim on, if any: Next gives it back rather than drawing another. */
export function heldClaim(db: DbOrTx, userId: number, now: number): number | undefined {
  return db.get<{ id: number } | undefined>(
    sql`select r.item_id as id from item_reviews r where r.claimed_by = ${userId} and r.claimed_until > ${now}
      and r.queue is null limit 1`,
  )?.id;
}
