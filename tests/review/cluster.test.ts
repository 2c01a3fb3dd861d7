import { describe, expect, it } from 'vitest';
import { type ClusterLink, collectCluster } from '../../src/review/cluster.ts';

/** A graph of duplicate links, and a linksOf that records each round's question. */
function graph(links: [number, number, number?][]) {
  const all: ClusterLink[] = links.map(([from, to, distance = 0]) => ({
    from,
    to,
    signal: distance ? 'pdq' : 'sha256',
    distance,
  }));
  const rounds: number[][] = [];
  const linksOf = (ids: readonly number[]) => {
    rounds.push([...ids]);
    return all.filter((l) => ids.includes(l.from) || ids.includes(l.to));
  };
  return { linksOf, rounds };
}

describe('collectCluster', () => {
  it('is the item alone when nothing links to it', () => {
    const { linksOf } = graph([[2, 3]]);
    expect(collectCluster(1, linksOf, 50)).toEqual({ itemIds: [1], links: [], complete: true });
  });

  it('follows links both ways and transitively, one question per round', () => {
    // 4 duplicates 1; 2 duplicates 4; 3 duplicates 2; 6 duplicates 5 (another family).
    const { linksOf, rounds } = graph([
      [4, 1],
      [2, 4, 7],
      [3, 2],
      [6, 5],
    ]);
    const cluster = collectCluster(1, linksOf, 50);
    expect(cluster.itemIds).toEqual([1, 4, 2, 3]);
    expect(cluster.complete).toBe(true);
    expect(cluster.links).toHaveLength(3);
    expect(rounds).toEqual([[1], [4], [2], [3]]);
  });

  it('reaches nearer links first within a round', () => {
    const { linksOf } = graph([
      [5, 1, 20],
      [3, 1, 4],
      [9, 1, 0],
    ]);
    expect(collectCluster(1, linksOf, 50).itemIds).toEqual([1, 9, 3, 5]);
  });

  it('ends on cycles and keeps one link per pair and signal, the nearest', () => {
    const { linksOf } = graph([
      [2, 1, 9],
      [2, 1, 3],
      [3, 2],
      [1, 3],
      [3, 3],
    ]);
    const cluster = collectCluster(1, linksOf, 50);
    expect(cluster.itemIds.sort()).toEqual([1, 2, 3]);
    expect(cluster.links).toEqual(
      expect.arrayContaining([
        { from: 2, to: 1, signal: 'pdq', distance: 3 },
        { from: 3, to: 2, signal: 'sha256', distance: 0 },
        { from: 1, to: 3, signal: 'sha256', distance: 0 },
      ]),
    );
    expect(cluster.links).toHaveLength(3);
  });

  it('stops at the limit and says the cluster is incomplete, with no link leaving it', () => {
    // A chain 1-2-3-...-100: a huge family costs at most `limit` items.
    const { linksOf, rounds } = graph(Array.from({ length: 99 }, (_, i) => [i + 2, i + 1] as [number, number]));
    const cluster = collectCluster(1, linksOf, 5);
    expect(cluster.itemIds).toEqual([1, 2, 3, 4, 5]);
    expect(cluster.complete).toBe(false);
    expect(cluster.links.every((l) => l.from <= 5 && l.to <= 5)).toBe(true);
    expect(rounds.length).toBeLessThanOrEqual(5);
  });

  it('is complete when the limit is exactly the cluster size', () => {
    const { linksOf } = graph([
      [2, 1],
      [3, 1],
    ]);
    expect(collectCluster(1, linksOf, 3)).toMatchObject({ itemIds: [1, 2, 3], complete: true });
  });
});
