import { eq, sql } from 'drizzle-orm';
import { OWN_BANK_SOURCE } from '../banks/own-bank.ts';
import type { Tx } from '../db/client.ts';
import { insertRow, preparedOnce, updateRowById } from '../db/prepared.ts';
import { banks } from '../db/schema/banks.ts';
import { items } from '../db/schema/intake.ts';
import { itemMedia, itemSkippedMedia, itemSuggestions, mediaMatches } from '../db/schema/triage.ts';
import type { EarlierMedia } from '../matching/earlier-media.ts';
import { linksToItemMedia, moveDuplicateLinks } from './duplicate-links.ts';
import { recomputeItemPriority } from './item-priority.ts';
import { type Suggestion, suggestKnownAssessment } from './known-content.ts';
import type { MatchThresholds } from './match-thresholds.ts';
import { hostingColumns, mediumFields } from './medium-fields.ts';
import type { Inspection } from './pipeline.ts';

export type TriageState = 'ready' | 'unreachable' | 'known';

/**
 * The item's state after triage and why. A page whose media all failed is unreachable (and tried
 * again when reported again); one with some media missing is ready but says so, since an analyst
 * sees less than the reporter saw.
 */
export function triageOutcome(
  inspection: Inspection,
  suggestion: Suggestion | null,
): { state: TriageState; stateReason: string | null } {
  const { error, page, media, skipped } = inspection;
  if (error) return { state: 'unreachable', stateReason: error };
  const unreachable = skipped.filter((medium) => medium.reason !== 'media_limit');
  if (unreachable.length > 0) {
    return { state: media.length === 0 ? 'unreachable' : 'ready', stateReason: 'media_unreachable' };
  }
  // More media than the per-page limit: what was fetched is ready, the rest awaits an analyst.
  if (skipped.length > 0) return { state: 'ready', stateReason: 'media_limit' };
  if (suggestion) return { state: 'known', stateReason: null };
  return { state: 'ready', stateReason: page && media.length === 0 ? 'no_media' : null };
}

// Prepared once: each stored result runs them (see preparedOnce).
const itemExists = preparedOnce((db) =>
  db
    .select({ id: items.id })
    .from(items)
    .where(eq(items.id, sql.placeholder('itemId')))
    .prepare(),
);
const clearEarlierRun = [itemMedia, itemSkippedMedia, itemSuggestions].map((table) =>
  preparedOnce((db) =>
    db
      .delete(table)
      .where(eq(table.itemId, sql.placeholder('itemId')))
      .prepare(),
  ),
);
const ownBankNames = preparedOnce((db) =>
  db.select({ name: banks.name }).from(banks).where(eq(banks.source, OWN_BANK_SOURCE)).prepare(),
);

/**
 * Writes one item's triage in the caller's transaction: its media (with the earlier items' media
 * they duplicate) and their matches, the media it could not get, hosting, state and priority,
 * replacing an earlier run's; other items' links to the replaced media move to the new rows.
 * Signals only; the inspection holds no bytes.
 */
export function storeTriageResult(
  tx: Tx,
  result: {
    itemId: number;
    inspection: Inspection;
    now: number;
    earlierMedia: EarlierMedia;
    /** The match distances in force (the same as the bank matching's). */
    thresholds: MatchThresholds;
  },
): { state: TriageState; priority: number } | null {
  const { itemId, inspection, now, earlierMedia, thresholds } = result;
  if (!itemExists(tx).get({ itemId })) return null;

  const duplicates = inspection.media.map((medium) => earlierMedia.find(tx, itemId, medium.signals, thresholds));
  const linksIn = linksToItemMedia(tx, itemId);

  const newIdBySha256 = new Map<string, number>();
  for (const clear of clearEarlierRun) clear(tx).run({ itemId });
  inspection.media.forEach((medium, position) => {
    const duplicate = duplicates[position];
    const mediaId = insertRow(tx, itemMedia, {
      itemId,
      position,
      ...mediumFields(medium),
      ...hostingColumns(medium.hosting),
      duplicateOfMediaId: duplicate?.mediaId ?? null,
      duplicateSignal: duplicate?.signal ?? null,
      duplicateDistance: duplicate?.distance ?? null,
      fetchedAt: now,
    });
    if (!newIdBySha256.has(medium.signals.sha256)) newIdBySha256.set(medium.signals.sha256, mediaId);
    for (const match of medium.matches) {
      const { entryId: bankEntryId, signalType, distance, variant } = match;
      insertRow(tx, mediaMatches, { mediaId, bankEntryId, signalType, distance, variant });
    }
  });
  moveDuplicateLinks(tx, linksIn, newIdBySha256);
  inspection.skipped.forEach(({ url, reason }, position) => {
    insertRow(tx, itemSkippedMedia, { itemId, position, url, reason });
  });

  const ownBanks = new Set(
    ownBankNames(tx)
      .all()
      .map((bank) => bank.name),
  );
  const suggestion = suggestKnownAssessment(inspection, ownBanks);
  if (suggestion) insertRow(tx, itemSuggestions, { itemId, ...suggestion, createdAt: now });
  const outcome = triageOutcome(inspection, suggestion);

  updateRowById(tx, items, items.id, itemId, {
    ...outcome,
    finalUrl: inspection.finalUrl,
    httpStatus: inspection.httpStatus,
    fetchedAt: now,
    tlsInvalid: inspection.tlsInvalid,
    hostingKind: inspection.hosting?.kind ?? null,
    ...hostingColumns(inspection.hosting),
    hostingCheckedAt: inspection.hosting ? now : null,
  });
  const ranked = recomputeItemPriority(tx, itemId, now);
  return { state: outcome.state, priority: ranked?.score ?? 0 };
}
