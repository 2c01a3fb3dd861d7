/**
 * A duplicate link between two items: a medium of `from` shows the same picture as a medium of
 * `to` (same bytes, or perceptual hashes within the match distance), as triage found it.
 */
export interface ClusterLink {
  from: number;
  to: number;
  /** The signal that found it (`sha256`, `md5`, `pdq`, `blockhash`) and its Hamming distance. */
  signal: string;
  distance: number;
}

export interface Cluster {
  /** The first item, then the others in the order they were reached (nearest links first). */
  itemIds: number[];
  /** The links between the items of the cluster, one per pair and signal (the nearest). */
  links: ClusterLink[];
  /** False when `limit` items were reached before every linked item was: more exist. */
  complete: boolean;
}

/**
 * The items linked to `start`, transitively: each round asks `linksOf` for the links of the items
 * reached in the round before (one query a round, however large it is), and stops at `limit`
 * items, so a huge family of copies costs a bounded amount of work.
 */
export function collectCluster(
  start: number,
  linksOf: (itemIds: readonly number[]) => readonly ClusterLink[],
  limit: number,
): Cluster {
  const reached = new Set([start]);
  const links = new Map<string, ClusterLink>();
  let complete = true;
  let frontier = [start];
  while (frontier.length > 0) {
    const found = [...linksOf(frontier)].sort((a, b) => a.distance - b.distance || a.from - b.from || a.to - b.to);
    const nextFrontier: number[] = [];
    for (const link of found) {
      if (link.from === link.to) continue;
      for (const id of [link.from, link.to]) {
        if (reached.has(id)) continue;
        if (reached.size >= limit) {
          complete = false;
          continue;
        }
        reached.add(id);
        nextFrontier.push(id);
      }
      if (!reached.has(link.from) || !reached.has(link.to)) continue;
      const [low, high] = link.from < link.to ? [link.from, link.to] : [link.to, link.from];
      const key = `${low} ${high} ${link.signal}`;
      const known = links.get(key);
      if (!known || link.distance < known.distance) links.set(key, link);
    }
    frontier = nextFrontier;
  }
  return { itemIds: [...reached], links: [...links.values()], complete };
}
