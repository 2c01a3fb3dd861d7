/**
 * Remembers the results of a pure function of a string, in memory that stays bounded: keys
 * longer than `maxKeyLength` are never stored, and the whole memo is emptied when it holds
 * `maxEntries`, which costs nothing per entry (no recency list) and suits inputs that repeat
 * in bursts, such as the hosts of one batch of reports.
 */
export interface BoundedMemo<V> {
  (key: string): V;
  /** How many results are held now (for tests). */
  size(): number;
}

export function boundedMemo<V>(compute: (key: string) => V, maxEntries: number, maxKeyLength: number): BoundedMemo<V> {
  const results = new Map<string, V>();
  const memoised = (key: string): V => {
    const known = results.get(key);
    if (known !== undefined) return known;
    const value = compute(key);
    if (key.length <= maxKeyLength) {
      if (results.size >= maxEntries) results.clear();
      results.set(key, value);
    }
    return value;
  };
  return Object.assign(memoised, { size: () => results.size });
}
