import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { bankEntries, banks } from '../db/schema/banks.ts';
import { items } from '../db/schema/intake.ts';
import { itemMedia, itemSkippedMedia, itemSuggestions, mediaMatches } from '../db/schema/triage.ts';
import type { ItemState } from '../taxonomy/vocabulary.ts';
import type { PriorityReason } from './priority.ts';

export interface TriagedItem {
  id: number;
  url: string;
  state: ItemState;
  stateReason: string | null;
  priority: number;
  priorityReasons: PriorityReason[];
  reportCount: number;
  firstReportedAt: number;
  finalUrl: string | null;
  httpStatus: number | null;
  fetchedAt: number | null;
  /** A certificate on the way did not verify (self-signed, expired ...); the content was fetched anyway. */
  tlsInvalid: boolean;
  hosting: TriagedHosting & { kind: 'ip' | 'onion' | 'proxy' | null };
  suggestion: { label: string; bankEntryId: number } | null;
  media: TriagedMedium[];
  /** Media the page shows that triage could not get, and why. */
  skipped: { url: string; reason: string }[];
}

export interface TriagedHosting {
  ip: string | null;
  country: string | null;
  asn: number | null;
  org: string | null;
}

export interface TriagedMedium {
  id: number;
  url: string;
  mediaType: string;
  size: number;
  width: number | null;
  height: number | null;
  sha256: string;
  sha1: string;
  md5: string;
  blockhash: string | null;
  pdq: string | null;
  pdqQuality: number | null;
  refusal: string | null;
  tlsInvalid: boolean;
  hosting: TriagedHosting;
  /** The earlier item's medium showing the same picture, and the signal that found it. */
  duplicateOf: { mediaId: number; signal: string; distance: number } | null;
  matches: {
    bank: string;
    label: string;
    entryId: number;
    signalType: string;
    distance: number;
    variant: string | null;
  }[];
}

/**
 * One page of items with their triage results, by id: what `hotline items` prints. Page on with
 * `afterId` set to the last id seen.
 */
export function listTriagedItems(
  db: DbOrTx,
  page: { state?: ItemState; afterId?: number; limit: number },
): TriagedItem[] {
  const rows = db
    .select()
    .from(items)
    .where(and(page.state ? eq(items.state, page.state) : undefined, gt(items.id, page.afterId ?? 0)))
    .orderBy(asc(items.id))
    .limit(page.limit)
    .all();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const media = db
    .select()
    .from(itemMedia)
    .where(inArray(itemMedia.itemId, ids))
    .orderBy(asc(itemMedia.position))
    .all();
  const matches = db
    .select({
      mediaId: mediaMatches.mediaId,
      bank: banks.name,
      label: bankEntries.label,
      entryId: bankEntries.id,
      signalType: mediaMatches.signalType,
      distance: mediaMatches.distance,
      variant: mediaMatches.variant,
    })
    .from(mediaMatches)
    .innerJoin(bankEntries, eq(bankEntries.id, mediaMatches.bankEntryId))
    .innerJoin(banks, eq(banks.id, bankEntries.bankId))
    .where(inArray(mediaMatches.mediaId, media.length ? media.map((m) => m.id) : [-1]))
    .orderBy(asc(mediaMatches.id))
    .all();
  const suggestions = db.select().from(itemSuggestions).where(inArray(itemSuggestions.itemId, ids)).all();
  const skipped = db
    .select()
    .from(itemSkippedMedia)
    .where(inArray(itemSkippedMedia.itemId, ids))
    .orderBy(asc(itemSkippedMedia.position))
    .all();

  return rows.map((row) => {
    const suggestion = suggestions.find((s) => s.itemId === row.id);
    return {
      id: row.id,
      url: row.url,
      state: row.state,
      stateReason: row.stateReason,
      priority: row.priority,
      priorityReasons: JSON.parse(row.priorityReasons) as PriorityReason[],
      reportCount: row.reportCount,
      firstReportedAt: row.firstReportedAt,
      finalUrl: row.finalUrl,
      httpStatus: row.httpStatus,
      fetchedAt: row.fetchedAt,
      tlsInvalid: row.tlsInvalid,
      hosting: { kind: row.hostingKind, ...storedHosting(row) },
      suggestion: suggestion ? { label: suggestion.label, bankEntryId: suggestion.bankEntryId } : null,
      media: media.filter((m) => m.itemId === row.id).map((m) => triagedMedium(m, matches)),
      skipped: skipped.filter((s) => s.itemId === row.id).map(({ url, reason }) => ({ url, reason })),
    };
  });
}

function storedHosting(row: {
  hostingIp: string | null;
  hostingCountry: string | null;
  hostingAsn: number | null;
  hostingOrg: string | null;
}): TriagedHosting {
  return { ip: row.hostingIp, country: row.hostingCountry, asn: row.hostingAsn, org: row.hostingOrg };
}

function triagedMedium(
  row: typeof itemMedia.$inferSelect,
  matches: ({ mediaId: number } & TriagedMedium['matches'][number])[],
): TriagedMedium {
  // What is not shown as is: the row's place, its stored hosting and duplicate columns (shaped below).
  const {
    itemId: _item,
    position: _position,
    fetchedAt: _fetched,
    hostingIp: _ip,
    hostingCountry: _country,
    hostingAsn: _asn,
    hostingOrg: _org,
    duplicateOfMediaId,
    duplicateSignal,
    duplicateDistance,
    ...shown
  } = row;
  return {
    ...shown,
    hosting: storedHosting(row),
    duplicateOf:
      duplicateOfMediaId === null
        ? null
        : { mediaId: duplicateOfMediaId, signal: duplicateSignal ?? '', distance: duplicateDistance ?? 0 },
    matches: matches.filter((x) => x.mediaId === row.id).map(({ mediaId: _media, ...match }) => match),
  };
}
