import { type AnySQLiteColumn, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { bankEntries } from './banks.ts';
import { items } from './intake.ts';

/**
 * One medium found at an item: the item's own content or an image its page shows. Signals only:
 * the bytes were hashed in memory and dropped, and no column here could hold them.
 */
export const itemMedia = sqliteTable(
  'item_media',
  {
    // AUTOINCREMENT: ids only ever grow, so the duplicate index catches up on new media by id alone.
    id: integer('id').primaryKey({ autoIncrement: true }),
    itemId: integer('item_id')
      .notNull()
      .references(() => items.id, { onDelete: 'cascade' }),
    /** 0 for the item's address itself when it served media; page media follow in page order. */
    position: integer('position').notNull(),
    url: text('url').notNull(),
    mediaType: text('media_type').notNull(),
    size: integer('size').notNull(),
    width: integer('width'),
    height: integer('height'),
    sha256: text('sha256').notNull(),
    sha1: text('sha1').notNull(),
    md5: text('md5').notNull(),
    blockhash: text('blockhash'),
    pdq: text('pdq'),
    pdqQuality: integer('pdq_quality'),
    /** Why the image was not decoded (too many pixels, damaged): only the exact hashes exist. */
    refusal: text('refusal'),
    /** A certificate on the way to this medium did not verify: it was fetched and hashed anyway. */
    tlsInvalid: integer('tls_invalid', { mode: 'boolean' }).notNull().default(false),
    /** Where this medium was served from: often a CDN in another country than the page's. */
    hostingIp: text('hosting_ip'),
    hostingCountry: text('hosting_country'),
    hostingAsn: integer('hosting_asn'),
    hostingOrg: text('hosting_org'),
    /** An earlier item's medium showing the same picture (same bytes, or near perceptual hashes). */
    duplicateOfMediaId: integer('duplicate_of_media_id').references((): AnySQLiteColumn => itemMedia.id, {
      onDelete: 'set null',
    }),
    /** The signal that found the duplicate, and its Hamming distance (0 for exact hashes). */
    duplicateSignal: text('duplicate_signal', { enum: ['sha256', 'md5', 'pdq', 'blockhash'] }),
    duplicateDistance: integer('duplicate_distance'),
    fetchedAt: integer('fetched_at').notNull(),
  },
  (t) => [
    index('item_media_item').on(t.itemId),
    index('item_media_sha256').on(t.sha256),
    index('item_media_md5').on(t.md5),
    index('item_media_duplicate_of').on(t.duplicateOfMediaId),
  ],
);

/** A medium a page shows that triage could not fetch or hash, and why: the item is incomplete. */
export const itemSkippedMedia = sqliteTable(
  'item_skipped_media',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    itemId: integer('item_id')
      .notNull()
      .references(() => items.id, { onDelete: 'cascade' }),
    /** In page order among the skipped ones. */
    position: integer('position').notNull(),
    url: text('url').notNull(),
    /** A FetchErrorReason (`timeout`, `http_status`, ...). */
    reason: text('reason').notNull(),
  },
  (t) => [index('item_skipped_media_item').on(t.itemId)],
);

/** A medium's signal found in a bank. */
export const mediaMatches = sqliteTable(
  'media_matches',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    mediaId: integer('media_id')
      .notNull()
      .references(() => itemMedia.id, { onDelete: 'cascade' }),
    bankEntryId: integer('bank_entry_id')
      .notNull()
      .references(() => bankEntries.id),
    signalType: text('signal_type').notNull(),
    /** Hamming distance for perceptual hashes; 0 for exact ones. */
    distance: integer('distance').notNull(),
    /** The rotation or flip of the medium that matched (PDQ dihedral variants); null for the medium as is. */
    variant: text('variant'),
  },
  (t) => [index('media_matches_media').on(t.mediaId), index('media_matches_entry').on(t.bankEntryId)],
);

/**
 * The assessment triage suggests for a `known` item: every medium it shows matched a confirmed
 * entry of our own `hotline` bank, so an analyst need not view it again.
 */
export const itemSuggestions = sqliteTable('item_suggestions', {
  itemId: integer('item_id')
    .primaryKey()
    .references(() => items.id, { onDelete: 'cascade' }),
  /** A taxonomy label (`national/real_abuse`), see src/review/taxonomy.ts. */
  label: text('label').notNull(),
  /** The hotline bank entry the label comes from. */
  bankEntryId: integer('bank_entry_id')
    .notNull()
    .references(() => bankEntries.id),
  createdAt: integer('created_at').notNull(),
});
