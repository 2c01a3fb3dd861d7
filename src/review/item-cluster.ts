import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { type Cluster, type ClusterLink, collectCluster } from './cluster.ts';
import { itemNotFound } from './item-review.ts';
import { queueOf } from './queue.ts';

/** The most items a cluster shows or takes one assessment for: a screen's worth, and a bounded walk. */
export const clusterLimit = 50;
/**
 * How far the walk goes to check that ticked items belong together: further than one screen, so
 * items ticked on the screen of one member are found from another member of a large cluster too.
 */
export const clusterCheckLimit = 20 * clusterLimit;

const idList = (ids: readonly number[]): SQL =>
  sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  );

/**
 * The duplicate links triage stored (item_media.duplicate_of_media_id: same file, or near PDQ or
 * blockhash within the configured match distances) that touch `itemIds`, in either direction:
 * their media pointing at earlier items, and later items' media pointing at theirs.
 */
function duplicateLinks(db: DbOrTx, itemIds: readonly number[]): ClusterLink[] {
  const ids = idList(itemIds);
  return db.all<ClusterLink>(sql`
    select m.item_id as "from", t.item_id as "to", m.duplicate_signal as signal, m.duplicate_distance as distance
      from item_media m join item_media t on t.id = m.duplicate_of_media_id
      where m.item_id in (${ids})
    union all
    select m.item_id, t.item_id, m.duplicate_signal, m.duplicate_distance
      from item_media t join item_media m on m.duplicate_of_media_id = t.id
      where t.item_id in (${ids})`);
}

/** The cluster of an item: the items whose media share pictures with its own, transitively, at most `limit`. */
export function clusterOf(db: DbOrTx, itemId: number, limit = clusterLimit): Cluster {
  return collectCluster(itemId, (ids) => duplicateLinks(db, ids), limit);
}

/**
 * What the item screen's cluster section shows: each item of the cluster with its address, queue
 * and claim, and the links that tie them. No medium, no view.
 */
export function itemClusterView(db: DbOrTx, itemId: number, now: number) {
  const cluster = clusterOf(db, itemId);
  const rows = db.all<{
    id: number;
    url: string;
    state: string;
    reviewQueue: string | null;
    firstReportedAt: number;
    hostingCountry: string | null;
    claimedBy: number | null;
    claimedUntil: number | null;
  }>(sql`select i.id, i.url, i.state, i.review_queue as reviewQueue, i.first_reported_at as firstReportedAt,
      i.hosting_country as hostingCountry, r.claimed_by as claimedBy, r.claimed_until as claimedUntil
    from items i left join item_reviews r on r.item_id = i.id where i.id in (${idList(cluster.itemIds)})`);
  const byId = new Map(rows.map((row) => [row.id, row]));
  if (!byId.has(itemId)) throw itemNotFound();
  return {
    itemId,
    complete: cluster.complete,
    items: cluster.itemIds.flatMap((id) => {
      const row = byId.get(id);
      if (!row) return [];
      const claimLive = row.claimedBy !== null && (row.claimedUntil ?? 0) > now;
      return [
        {
          id,
          url: row.url,
          queue: queueOf(row.state, row.reviewQueue),
          firstReportedAt: new Date(row.firstReportedAt).toISOString(),
          hostingCountry: row.hostingCountry,
          claimedBy: claimLive ? row.claimedBy : null,
        },
      ];
    }),
    links: cluster.links,
  };
}
