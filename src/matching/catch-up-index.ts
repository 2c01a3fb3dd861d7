import type { DbOrTx } from '../db/client.ts';
import { type PerceptualSignalTypeName, perceptualSignalTypes } from '../signals/types/index.ts';
import { HammingIndex, type IndexHit } from './match-index.ts';
import { HASH_WORDS, packHex } from './packed-hash.ts';

/** A row of the indexed table: its id and the perceptual hashes worth indexing, by type. */
export interface IndexedRow {
  id: number;
  hashes: Partial<Record<PerceptualSignalTypeName, string | null>>;
}

/** How a CatchUpIndex reads its table, whose ids only grow (AUTOINCREMENT), through `Handle`. */
export interface CatchUpSource<Handle = DbOrTx> {
  /** The highest id in the table now; 0 when empty. */
  latestId(db: Handle): number;
  /** Up to `limit` rows with ids in (after, through], by ascending id. */
  rowsBetween(db: Handle, after: number, through: number, limit: number): IndexedRow[];
}

/** Rows read per query while catching up. */
export const catchUpPageSize = 10_000;

/**
 * One in-memory multi-index per perceptual signal type over a table whose ids only grow: it
 * catches up by reading the rows added since its last look, so another process's writes reach it
 * too. Removal is the caller's (a hit whose row is gone). catchUp() only appends, cheap enough
 * inside a write transaction; refresh() also rebuilds slot tables gone stale, which on a large
 * index takes long enough that it must not hold the write lock: call it outside transactions.
 */
export class CatchUpIndex<Handle = DbOrTx> {
  private readonly indexes = new Map<PerceptualSignalTypeName, HammingIndex>(
    perceptualSignalTypes.map((type) => [type.name, new HammingIndex()]),
  );
  /** The highest id looked at so far. */
  private seenThrough = 0;

  constructor(private readonly source: CatchUpSource<Handle>) {}

  /**
   * Indexes the rows added since the last look; one cheap query when there are none. Inside a
   * transaction, call it before the transaction writes: a row it wrote and then rolled back would
   * be indexed, and its id used again.
   */
  catchUp(db: Handle): void {
    const latest = this.source.latestId(db);
    const words = new Uint32Array(HASH_WORDS);
    while (this.seenThrough < latest) {
      const page = this.source.rowsBetween(db, this.seenThrough, latest, catchUpPageSize);
      for (const row of page) {
        for (const [type, hash] of Object.entries(row.hashes) as [PerceptualSignalTypeName, string | null][]) {
          if (hash) this.index(type).add(row.id, packHex(hash, words));
        }
      }
      this.seenThrough = page.length < catchUpPageSize ? latest : (page.at(-1)?.id ?? latest);
    }
  }

  /** Catches up and rebuilds stale slot tables: outside any write transaction. */
  refresh(db: Handle): void {
    this.catchUp(db);
    for (const index of this.indexes.values()) index.rebuildIfStale();
  }

  /** The indexed rows within `radius` of the hash, in no particular order. */
  query(type: PerceptualSignalTypeName, hash: string, radius: number): IndexHit[] {
    return this.index(type).query(packHex(hash), radius);
  }

  /** Drops a row found gone from the table. */
  remove(type: PerceptualSignalTypeName, id: number): void {
    this.index(type).remove(id);
  }

  /** Bytes held by the indexes; the slot tables alone take 4 MB per type once built. */
  memoryBytes(): number {
    let bytes = 0;
    for (const index of this.indexes.values()) bytes += index.memoryBytes();
    return bytes;
  }

  private index(type: PerceptualSignalTypeName): HammingIndex {
    const index = this.indexes.get(type);
    if (!index) throw new RangeError(`no index for signal type ${type}`);
    return index;
  }
}
