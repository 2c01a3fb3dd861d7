import { eq, inArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Tx } from '../db/client.ts';
import { preparedOnce } from '../db/prepared.ts';
import { itemMedia } from '../db/schema/triage.ts';

/** Another item's medium that duplicates one of this item's media, and the file it points at. */
export interface DuplicateLink {
  mediaId: number;
  targetSha256: string;
}

/**
 * The media of other items that point at this item's media as their duplicate: read before the
 * item's media are replaced, since deleting them clears the links.
 */
export function linksToItemMedia(tx: Tx, itemId: number): DuplicateLink[] {
  return linksTo(tx).all({ itemId });
}

// Prepared once: every stored triage result reads them (see preparedOnce).
const linksTo = preparedOnce((db) => {
  const target = alias(itemMedia, 'target');
  return db
    .select({ mediaId: itemMedia.id, targetSha256: target.sha256 })
    .from(itemMedia)
    .innerJoin(target, eq(target.id, itemMedia.duplicateOfMediaId))
    .where(eq(target.itemId, sql.placeholder('itemId')))
    .prepare();
});

/**
 * Points each link at the new row holding the same file (same SHA-256), so the signal and distance
 * that found it still hold. A link whose file the item no longer serves is cleared: that medium
 * duplicates nothing there any more.
 */
export function moveDuplicateLinks(tx: Tx, links: DuplicateLink[], newIdBySha256: ReadonlyMap<string, number>): void {
  const gone: number[] = [];
  for (const link of links) {
    const replacement = newIdBySha256.get(link.targetSha256);
    if (replacement === undefined) gone.push(link.mediaId);
    else tx.update(itemMedia).set({ duplicateOfMediaId: replacement }).where(eq(itemMedia.id, link.mediaId)).run();
  }
  if (gone.length > 0) {
    tx.update(itemMedia)
      .set({ duplicateOfMediaId: null, duplicateSignal: null, duplicateDistance: null })
      .where(inArray(itemMedia.id, gone))
      .run();
  }
}
