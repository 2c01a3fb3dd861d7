import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';

/**
 * When a report is closed: the one rule retention applies. An item is decided when review
 * confirmed an assessment of it (`item_reviews.decided_at`: a legal status, not illegal, or gone,
 * known items included once a supervisor confirmed them). A report closes when all its items are
 * decided, at the latest of their decision times (never before it arrived).
 */
export function closedReportIds(db: DbOrTx, closedBefore: number): number[] {
  const found = db.all<{ id: number }>(sql`
    select r.id as id
    from reports r
    join report_urls ru on ru.report_id = r.id
    left join item_reviews ir on ir.item_id = ru.item_id
    where r.purged_at is null
    group by r.id
    having sum(case when ir.decided_at is null then 1 else 0 end) = 0
       and max(r.received_at, max(ir.decided_at)) <= ${closedBefore}
    order by r.id`);
  return found.map((r) => r.id);
}
