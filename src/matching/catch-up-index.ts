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

/** One multi-index per perceptual signal type. */
export class IndexesByType {
  private readonly indexes = new Map<PerceptualSignalTypeName, HammingIndex>(
    perceptualSignalTypes.map((type) => [type.name, new HammingIndex()]),
  );
  private readonly words = new Uint32Array(HASH_WORDS);

  add(row: IndexedRow): void {
    for (const [type, hash] of Object.entries(row.hashes) as [PerceptualSignalTypeName, string | null][]) {
      if (hash) this.index(type).add(row.id, packHex(hash, this.words));
    }
  }

  /** The indexed rows within `radius` of the hash, in no particular order. */
  query(type: PerceptualSignalTypeName, hash: string, radius: number): IndexHit[] {
    return this.index(type).query(packHex(hash, this.words), radius);
  }

  remove(type: PerceptualSignalTypeName, id: number): void {
    this.index(type).remove(id);
  }

  rebuildIfStale(): void {
    for (const index of this.indexes.values()) index.rebuildIfStale();
  }

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

/**
 * One in-memory multi-index per perceptual signal type over a table whose ids only grow: it
 * catches up by reading the rows added since its last look, so another process's writes reach it
 * too. Removal is the caller's (a hit whose row is gone).
 *
 * It holds committed rows only, so it reads outside write transactions: refresh() catches up and
 * rebuilds slot tables gone stale (which on a large index takes long enough that it must not hold
 * the write lock). A write transaction sees its own uncommitted rows too; should it roll back,
 * their ids are used again for other rows. Inside one, recent() gives the rows past this index
 * as the transaction sees them, in indexes of their own that the caller drops after use.
 */
export class CatchUpIndex<Handle = DbOrTx> {
  private readonly indexes = new IndexesByType();
  /** The highest id looked at so far. */
  private seenThrough = 0;

  constructor(private readonly source: CatchUpSource<Handle>) {}

  /** Indexes the rows added since the last look; one cheap query when there are none. Outside write transactions. */
  catchUp(db: Handle): void {
    this.seenThrough = this.readAfter(db, this.seenThrough, this.indexes);
  }

  /** Catches up and rebuilds stale slot tables: outside any write transaction. */
  refresh(db: Handle): void {
    this.catchUp(db);
    this.indexes.rebuildIfStale();
  }

  /**
   * The rows past this index as `db` sees them now (inside a write transaction, its own
   * uncommitted rows too), indexed apart: they never enter this index. Few, when it was refreshed
   * before the transaction.
   */
  recent(db: Handle): IndexesByType {
    const recent = new IndexesByType();
    this.readAfter(db, this.seenThrough, recent);
    return recent;
  }

  /** The indexed rows within `radius` of the hash, in no particular order. */
  query(type: PerceptualSignalTypeName, hash: string, radius: number): IndexHit[] {
    return this.indexes.query(type, hash, radius);
  }

  /** Drops a row found gone from the table. */
  remove(type: PerceptualSignalTypeName, id: number): void {
    this.indexes.remove(type, id);
  }

  /** Bytes held by the indexes; the slot tables alone take 4 MB per type once built. */
  memoryBytes(): number {
    return this.indexes.memoryBytes();
  }

  /** Adds the rows after `after` to `into`, page by page; returns the highest id looked at. */
  private readAfter(db: Handle, after: number, into: IndexesByType): number {
    const latest = this.source.latestId(db);
    let seen = after;
    while (seen < latest) {
      const page = this.source.rowsBetween(db, seen, latest, catchUpPageSize);
      for (const row of page) into.add(row);
      seen = page.length < catchUpPageSize ? latest : (page.at(-1)?.id ?? latest);
    }
    return seen;
  }
}
