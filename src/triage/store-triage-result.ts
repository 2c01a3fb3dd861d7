import { eq } from 'drizzle-orm';
import type { Tx } from '../db/client.ts';
import { items } from '../db/schema/intake.ts';
import { itemMedia, itemSuggestions, mediaMatches } from '../db/schema/triage.ts';
import { recomputeItemPriority } from './item-priority.ts';
import { suggestKnownAssessment } from './known-content.ts';
import type { Inspection } from './pipeline.ts';

export type TriageState = 'ready' | 'unreachable' | 'known';

/**
 * Writes one item's triage in the caller's transaction: its media and their matches (replacing an
 * earlier run's), hosting, state and priority. Signals only; the inspection holds no bytes.
 */
export function storeTriageResult(
  tx: Tx,
  result: { itemId: number; inspection: Inspection; now: number },
): { state: TriageState; priority: number } | null {
  const { itemId, inspection, now } = result;
  const item = tx.select({ id: items.id }).from(items).where(eq(items.id, itemId)).get();
  if (!item) return null;

  tx.delete(itemMedia).where(eq(itemMedia.itemId, itemId)).run();
  tx.delete(itemSuggestions).where(eq(itemSuggestions.itemId, itemId)).run();
  inspection.media.forEach((medium, position) => {
    const { signals } = medium;
    const media = tx
      .insert(itemMedia)
      .values({
        itemId,
        position,
        url: medium.url,
        mediaType: signals.mediaType,
        size: medium.size,
        width: signals.width,
        height: signals.height,
        sha256: signals.sha256,
        sha1: signals.sha1,
        md5: signals.md5,
        blockhash: signals.blockhash,
        pdq: signals.pdq,
        pdqQuality: signals.pdqQuality,
        refusal: medium.refusal,
        fetchedAt: now,
      })
      .returning({ id: itemMedia.id })
      .get();
    for (const match of medium.matches) {
      tx.insert(mediaMatches)
        .values({
          mediaId: media.id,
          bankEntryId: match.entryId,
          signalType: match.signalType,
          distance: match.distance,
          variant: match.variant,
        })
        .run();
    }
  });

  const suggestion = suggestKnownAssessment(inspection.media);
  if (suggestion)
    tx.insert(itemSuggestions)
      .values({ itemId, ...suggestion, createdAt: now })
      .run();
  const state: TriageState = inspection.error ? 'unreachable' : suggestion ? 'known' : 'ready';

  tx.update(items)
    .set({
      state,
      stateReason: inspection.error ?? (inspection.page && inspection.media.length === 0 ? 'no_media' : null),
      finalUrl: inspection.finalUrl,
      httpStatus: inspection.httpStatus,
      fetchedAt: now,
      hostingIp: inspection.hosting?.ip ?? null,
      hostingCountry: inspection.hosting?.country ?? null,
      hostingAsn: inspection.hosting?.asn ?? null,
      hostingOrg: inspection.hosting?.org ?? null,
      hostingCheckedAt: inspection.hosting ? now : null,
    })
    .where(eq(items.id, itemId))
    .run();
  const ranked = recomputeItemPriority(tx, itemId, now);
  return { state, priority: ranked?.score ?? 0 };
}
