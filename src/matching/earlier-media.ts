import { and, asc, eq, gt, lte, max, ne, sql } from 'drizzle-orm';
import type { Config } from '../config.ts';
import type { DbOrTx } from '../db/client.ts';
import { preparedOnce } from '../db/prepared.ts';
import { itemMedia } from '../db/schema/triage.ts';
import type { Signals } from '../signals/compute-signals.ts';
import type { PerceptualSignalTypeName } from '../signals/types/index.ts';
import { CatchUpIndex, type IndexesByType } from './catch-up-index.ts';

/** An earlier item's medium showing the same picture as a new one. */
export interface Duplicate {
  mediaId: number;
  signal: 'sha256' | 'md5' | PerceptualSignalTypeName;
  /** Hamming distance; 0 for exact hashes. */
  distance: number;
}

// Prepared once per connection: every stored triage result runs them (see preparedOnce).
const latestMediaId = preparedOnce((db) =>
  db
    .select({ id: max(itemMedia.id) })
    .from(itemMedia)
    .prepare(),
);
const mediaBetween = preparedOnce((db) =>
  db
    .select({ id: itemMedia.id, pdq: itemMedia.pdq, pdqQuality: itemMedia.pdqQuality, blockhash: itemMedia.blockhash })
    .from(itemMedia)
    .where(and(gt(itemMedia.id, sql.placeholder('after')), lte(itemMedia.id, sql.placeholder('through'))))
    .orderBy(asc(itemMedia.id))
    .limit(sql.placeholder('limit'))
    .prepare(),
);
const sameFile = (['sha256', 'md5'] as const).map((signal) => ({
  signal,
  query: preparedOnce((db) =>
    db
      .select({ id: itemMedia.id })
      .from(itemMedia)
      .where(and(eq(itemMedia[signal], sql.placeholder('hash')), ne(itemMedia.itemId, sql.placeholder('itemId'))))
      .orderBy(asc(itemMedia.id))
      .limit(1)
      .prepare(),
  ),
}));
/** The ids go in as one JSON array (json_each), so that one statement serves any number of them. */
const mediaWithIds = preparedOnce((db) =>
  db
    .select({ id: itemMedia.id, itemId: itemMedia.itemId })
    .from(itemMedia)
    .where(sql`${itemMedia.id} in (select value from json_each(${sql.placeholder('ids')}))`)
    .prepare(),
);

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
      latestId: (db) => latestMediaId(db).get()?.id ?? 0,
      rowsBetween: (db, after, through, limit) =>
        mediaBetween(db)
          .all({ after, through, limit })
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
   * The nearest medium of another item showing the same picture: exact hashes first, then PDQ, then
   * blockhash, within `thresholds` (the match distances in force, as for the banks). Inside a write transaction it sees the media the transaction stored, without
   * indexing them for good (see CatchUpIndex.recent).
   */
  find(db: DbOrTx, itemId: number, signals: Signals, thresholds: Config['matching']['thresholds']): Duplicate | null {
    for (const { signal, query } of sameFile) {
      const same = query(db).get({ hash: signals[signal], itemId });
      if (same) return { mediaId: same.id, signal, distance: 0 };
    }
    const pdqHashes = this.informativePdq(signals.pdqQuality)
      ? signals.pdqVariants
        ? Object.values(signals.pdqVariants)
        : [signals.pdq]
      : [];
    const blockhashes = isInformativeBlockhash(signals.blockhash) ? [signals.blockhash] : [];
    const recent = this.index.recent(db);
    return (
      this.nearest(db, itemId, 'pdq', pdqHashes, thresholds.pdq, recent) ??
      this.nearest(db, itemId, 'blockhash', blockhashes, thresholds.blockhash, recent)
    );
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
    radius: number,
    recent: IndexesByType,
  ): Duplicate | null {
    const distances = new Map<number, number>();
    for (const hash of hashes) {
      if (!hash) continue;
      for (const hit of [...this.index.query(signal, hash, radius), ...recent.query(signal, hash, radius)]) {
        distances.set(hit.id, Math.min(hit.distance, distances.get(hit.id) ?? hit.distance));
      }
    }
    if (distances.size === 0) return null;
    const rows = mediaWithIds(db).all({ ids: JSON.stringify([...distances.keys()]) });
    const present = new Set(rows.map((row) => row.id));
    // Only rows of this index can be gone: recent ones were read just now.
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
