import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';

/**
 * When a report is closed: the one rule retention applies, kept here so review can change it.
 * Until review records decisions, an item is done when the reporter is told so (`forwarded`,
 * `closed`) or triage ended it for good (`unreachable`: the content is gone; `known`: it matched a
 * confirmed assessment). `failed` is not done: an analyst still has to look. A report closes when
 * all its items are done, at the latest of their decision times (never before it arrived).
 */
export const doneReviewStatuses = ['forwarded', 'closed'] as const;
export const doneItemStates = ['unreachable', 'known'] as const;

const inList = (values: readonly string[]) =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );

/** Ids of the reports closed at or before `closedBefore` whose personal fields are still there. */
export function closedReportIds(db: DbOrTx, closedBefore: number): number[] {
  const found = db.all<{ id: number }>(sql`
    select r.id as id
    from reports r
    join report_urls ru on ru.report_id = r.id
    join items i on i.id = ru.item_id
    where r.purged_at is null
    group by r.id
    having sum(case when i.review_status in (${inList(doneReviewStatuses)})
                      or i.state in (${inList(doneItemStates)}) then 0 else 1 end) = 0
       and max(r.received_at, max(coalesce(i.assessed_at, i.fetched_at, i.last_reported_at))) <= ${closedBefore}
    order by r.id`);
  return found.map((r) => r.id);
}
