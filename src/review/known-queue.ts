import { asc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../db/client.ts';
import { bankEntries, banks } from '../db/schema/banks.ts';
import { itemMedia, itemSuggestions, mediaMatches } from '../db/schema/triage.ts';
import { pageLimitSchema, positiveIdSchema } from '../http/validation.ts';
import { parseLabel } from '../taxonomy/taxonomy.ts';
import { sourceAssessmentOf } from './own-bank-entries.ts';
import { inQueue } from './queue.ts';

/** `GET /api/v1/queue/known`: keyset pages, oldest first (the order they wait in). */
export const knownQueueQuerySchema = z.strictObject({ cursor: positiveIdSchema.optional(), limit: pageLimitSchema });
export type KnownQueueQuery = z.output<typeof knownQueueQuerySchema>;

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The `known` queue as a supervisor confirms it without a view: per item, triage's suggestion and
 * where it comes from (bank, label, the entry, the assessment that put it there, and how each
 * medium matched it: signal, distance, dihedral variant), and every medium's signals. No medium's
 * address is given: nothing here can lead to the content.
 */
export function listKnownItems(db: DbOrTx, query: KnownQueueQuery) {
  const rows = db.all<{
    id: number;
    url: string;
    firstReportedAt: number;
    reportCount: number;
    hostingCountry: string | null;
  }>(
    sql`select i.id, i.url, i.first_reported_at as firstReportedAt, i.report_count as reportCount,
        i.hosting_country as hostingCountry
      from items i where ${inQueue('known')} and i.id > ${query.cursor ?? 0} order by i.id asc limit ${query.limit + 1}`,
  );
  const page = rows.slice(0, query.limit);
  const ids = page.length ? page.map((r) => r.id) : [-1];
  const suggestions = db
    .select({
      itemId: itemSuggestions.itemId,
      label: itemSuggestions.label,
      bankEntryId: itemSuggestions.bankEntryId,
      bank: banks.name,
      sourceRef: bankEntries.sourceRef,
    })
    .from(itemSuggestions)
    .innerJoin(bankEntries, eq(bankEntries.id, itemSuggestions.bankEntryId))
    .innerJoin(banks, eq(banks.id, bankEntries.bankId))
    .where(inArray(itemSuggestions.itemId, ids))
    .all();
  const media = db
    .select({
      id: itemMedia.id,
      itemId: itemMedia.itemId,
      n: itemMedia.position,
      mediaType: itemMedia.mediaType,
      sha256: itemMedia.sha256,
      sha1: itemMedia.sha1,
      md5: itemMedia.md5,
      pdq: itemMedia.pdq,
      pdqQuality: itemMedia.pdqQuality,
      blockhash: itemMedia.blockhash,
    })
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
      sourceRef: bankEntries.sourceRef,
      signalType: mediaMatches.signalType,
      distance: mediaMatches.distance,
      variant: mediaMatches.variant,
    })
    .from(mediaMatches)
    .innerJoin(bankEntries, eq(bankEntries.id, mediaMatches.bankEntryId))
    .innerJoin(banks, eq(banks.id, bankEntries.bankId))
    .where(inArray(mediaMatches.mediaId, media.length ? media.map((m) => m.id) : [-1]))
    .orderBy(asc(mediaMatches.distance), asc(mediaMatches.id))
    .all();

  const items = page.map((row) => {
    const suggestion = suggestions.find((s) => s.itemId === row.id);
    const label = suggestion ? parseLabel(suggestion.label) : null;
    return {
      id: row.id,
      url: row.url,
      firstReportedAt: iso(row.firstReportedAt),
      reportCount: row.reportCount,
      hostingCountry: row.hostingCountry,
      suggestion: suggestion
        ? {
            label: suggestion.label,
            legalStatus: label?.legalStatus ?? null,
            content: label?.content ?? null,
            bank: suggestion.bank,
            bankEntryId: suggestion.bankEntryId,
            sourceAssessmentId: sourceAssessmentOf(suggestion.sourceRef),
          }
        : null,
      media: media
        .filter((m) => m.itemId === row.id)
        .map(({ id: mediaId, itemId: _item, ...medium }) => ({
          ...medium,
          matches: matches
            .filter((m) => m.mediaId === mediaId)
            .map(({ mediaId: _medium, sourceRef, ...match }) => ({
              ...match,
              sourceAssessmentId: sourceAssessmentOf(sourceRef),
            })),
        })),
    };
  });
  return { items, next: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null };
}
