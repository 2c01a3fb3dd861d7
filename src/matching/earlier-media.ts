import { and, asc, eq, gt, inArray, lte, max, ne } from 'drizzle-orm';
import type { Config } from '../config.ts';
import type { DbOrTx } from '../db/client.ts';
import { itemMedia } from '../db/schema/triage.ts';
import type { Signals } from '../signals/compute-signals.ts';
import type { PerceptualSignalTypeName } from '../signals/types/index.ts';
import { CatchUpIndex } from './catch-up-index.ts';

/** An earlier item's medium showing the same picture as a new one. */
export interface Duplicate {
  mediaId: number;
  signal: 'sha256' | 'md5' | PerceptualSignalTypeName;
  /** Hamming distance; 0 for exact hashes. */
  distance: number;
}

const loadedColumns = {
  id: itemMedia.id,
  pdq: itemMedia.pdq,
  pdqQuality: itemMedia.pdqQuality,
  blockhash: itemMedia.blockhash,
};
/** Ids per `IN (...)`: far below SQLite's bound on variables in one statement (32,766). */
const idChunkSize = 500;

/**
 * A blockhash with every bit alike is what a flat image (a spacer, a blank frame) gives: every
 * such image would be a "duplicate" of every other, and a query of it returns them all.
 */
export function isInformativeBlockhash(hex: string | null): hex is string {
  return hex !== null && !/^(0+|f+)$/.test(hex);
}

/**
 * Finds, among the media of earlier items, the same picture as a new medium: the same file by
 * SHA-256 or MD5 (through the item_media indexes), or the same image re-encoded, scaled or turned
 * by PDQ (any of its eight rotations and flips) or blockhash within the match thresholds. The
 * perceptual hashes are held in a CatchUpIndex over item_media (its ids only grow); a hit whose
 * row is gone (its item was triaged again) is dropped from the index.
 */
export class EarlierMedia {
  private readonly index: CatchUpIndex;

  constructor(private readonly settings: Config['matching']) {
    this.index = new CatchUpIndex({
      latestId: (db) =>
        db
          .select({ id: max(itemMedia.id) })
          .from(itemMedia)
          .get()?.id ?? 0,
      rowsBetween: (db, after, through, limit) =>
        db
          .select(loadedColumns)
          .from(itemMedia)
          .where(and(gt(itemMedia.id, after), lte(itemMedia.id, through)))
          .orderBy(asc(itemMedia.id))
          .limit(limit)
          .all()
          .map((row) => ({
            id: row.id,
            hashes: {
              pdq: this.informativePdq(row.pdqQuality) ? row.pdq : null,
              blockhash: isInformativeBlockhash(row.blockhash) ? row.blockhash : null,
            },
          })),
    });
  }

  /** Indexes the media stored since the last look and rebuilds stale tables: outside write transactions. */
  refresh(db: DbOrTx): void {
    this.index.refresh(db);
  }

  /**
   * Indexes the media stored since the last look, without rebuilding: at the start of the write
   * transaction that stores a result, before it writes (see CatchUpIndex.catchUp).
   */
  catchUp(tx: DbOrTx): void {
    this.index.catchUp(tx);
  }

  /** The nearest medium of another item showing the same picture: exact hashes first, then PDQ, then blockhash. */
  find(db: DbOrTx, itemId: number, signals: Signals): Duplicate | null {
    for (const signal of ['sha256', 'md5'] as const) {
      const same = db
        .select({ id: itemMedia.id })
        .from(itemMedia)
        .where(and(eq(itemMedia[signal], signals[signal]), ne(itemMedia.itemId, itemId)))
        .orderBy(asc(itemMedia.id))
        .limit(1)
        .get();
      if (same) return { mediaId: same.id, signal, distance: 0 };
    }
    const pdqHashes = this.informativePdq(signals.pdqQuality)
      ? signals.pdqVariants
        ? Object.values(signals.pdqVariants)
        : [signals.pdq]
      : [];
    const blockhashes = isInformativeBlockhash(signals.blockhash) ? [signals.blockhash] : [];
    return this.nearest(db, itemId, 'pdq', pdqHashes) ?? this.nearest(db, itemId, 'blockhash', blockhashes);
  }

  /** A PDQ hash of an image with too little detail matches unrelated images of little detail. */
  private informativePdq(quality: number | null): boolean {
    return (quality ?? 0) >= this.settings.pdqMinQuality;
  }

  private nearest(
    db: DbOrTx,
    itemId: number,
    signal: PerceptualSignalTypeName,
    hashes: readonly (string | null)[],
  ): Duplicate | null {
    const distances = new Map<number, number>();
    for (const hash of hashes) {
      if (!hash) continue;
      for (const hit of this.index.query(signal, hash, this.settings.thresholds[signal])) {
        distances.set(hit.id, Math.min(hit.distance, distances.get(hit.id) ?? hit.distance));
      }
    }
    if (distances.size === 0) return null;
    const ids = [...distances.keys()];
    const rows: { id: number; itemId: number }[] = [];
    for (let at = 0; at < ids.length; at += idChunkSize) {
      const chunk = ids.slice(at, at + idChunkSize);
      rows.push(
        ...db
          .select({ id: itemMedia.id, itemId: itemMedia.itemId })
          .from(itemMedia)
          .where(inArray(itemMedia.id, chunk))
          .all(),
      );
    }
    const present = new Set(rows.map((row) => row.id));
    for (const id of distances.keys()) if (!present.has(id)) this.index.remove(signal, id);
    let best: Duplicate | null = null;
    for (const row of rows) {
      if (row.itemId === itemId) continue;
      const distance = distances.get(row.id) ?? Number.POSITIVE_INFINITY;
      if (!best || distance < best.distance || (distance === best.distance && row.id < best.mediaId)) {
        best = { mediaId: row.id, signal, distance };
      }
    }
    return best;
  }
}
