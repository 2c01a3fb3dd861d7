import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import {
  itemStates,
  reportCategories,
  reportedMediaTypes,
  reportedSiteTypes,
  reportStatuses,
  reviewQueues,
} from '../../taxonomy/vocabulary.ts';

/** One submission by a member of the public. Nothing here identifies the reporter. */
export const reports = sqliteTable(
  'reports',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** HMAC-SHA-256 of the receipt under a key derived from the secret key; the receipt itself is never stored. */
    receiptHash: text('receipt_hash').notNull().unique(),
    category: text('category', { enum: reportCategories }).notNull(),
    siteType: text('site_type', { enum: reportedSiteTypes }).notNull(),
    mediaType: text('media_type', { enum: reportedMediaTypes }).notNull(),
    description: text('description'),
    /** AES-256-GCM ciphertext of the optional contact address (base64 of iv|tag|ciphertext). */
    contactCiphertext: text('contact_ciphertext'),
    /** The reporter's language, kept only with a contact address (to answer in it): alone it narrows who reported. */
    lang: text('lang'),
    /** Truncated to the minute: a precise time could be matched against someone's network logs. */
    receivedAt: integer('received_at').notNull(),
    /**
     * The status delay settings stored when the report arrived (null: the configured default was in
     * force): lowering the delay later must not show this report's status sooner than promised.
     */
    statusDelayHours: integer('status_delay_hours'),
    statusDelayRandomHours: integer('status_delay_random_hours'),
    /** When retention removed what the reporter wrote (description, contact, receipt); the rest feeds statistics. */
    purgedAt: integer('purged_at'),
  },
  // The list view's filters: a rare category or site type is read from its reports (src/review/item-list.ts).
  (t) => [index('reports_category').on(t.category), index('reports_site_type').on(t.siteType)],
);

/** The item a reported address belongs to, keyed by its dedupKey. Many reports can point at one item. */
export const items = sqliteTable(
  'items',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    dedupKey: text('dedup_key').notNull().unique(),
    canonicalUrl: text('canonical_url').notNull(),
    /** The address to fetch: the first report's address as a browser reads it, no fragment or tracking parameters. */
    url: text('url').notNull(),
    host: text('host').notNull(),
    registrableDomain: text('registrable_domain'),
    /** Triage state. */
    state: text('state', { enum: itemStates }).notNull().default('new'),
    stateReason: text('state_reason'),
    /** Where the item stands for the reporter: what a receipt check shows. */
    reviewStatus: text('review_status', { enum: reportStatuses }).notNull().default('received'),
    /** Set once an analyst assessed the item; later reports of it create no new work. */
    assessedAt: integer('assessed_at'),
    firstReportedAt: integer('first_reported_at').notNull(),
    lastReportedAt: integer('last_reported_at').notNull(),
    reportCount: integer('report_count').notNull().default(0),
    finalUrl: text('final_url'),
    httpStatus: integer('http_status'),
    fetchedAt: integer('fetched_at'),
    /** A certificate on the way to the content did not verify (self-signed, expired ...): fetched anyway. */
    tlsInvalid: integer('tls_invalid', { mode: 'boolean' }).notNull().default(false),
    /** How the content was reached: `ip` (a looked-up address), `onion`, `proxy` (the proxy resolved the name). */
    hostingKind: text('hosting_kind', { enum: ['ip', 'onion', 'proxy'] }),
    hostingIp: text('hosting_ip'),
    hostingCountry: text('hosting_country'),
    hostingAsn: integer('hosting_asn'),
    hostingOrg: text('hosting_org'),
    hostingCheckedAt: integer('hosting_checked_at'),
    priority: integer('priority').notNull().default(0),
    /** JSON array of the reasons behind `priority`. */
    priorityReasons: text('priority_reasons').notNull().default('[]'),
    /** The review's queue once an assessment exists (src/taxonomy/vocabulary.ts); null before. */
    reviewQueue: text('review_queue', { enum: reviewQueues }),
  },
  (t) => [
    index('items_state_priority').on(t.state, t.priority),
    index('items_review_status').on(t.reviewStatus),
    // The analyst queues: "Next" walks priority then age, the list pages by id, the counts read it alone.
    index('items_queue_priority').on(t.state, t.reviewQueue, t.priority, t.firstReportedAt),
    index('items_queue_id').on(t.state, t.reviewQueue, t.id),
    // The list view's country filter, newest first.
    index('items_country_id').on(t.hostingCountry, t.id),
    // The list view's date filter when its range holds few items (src/review/item-list.ts).
    index('items_first_reported').on(t.firstReportedAt),
  ],
);

/** One reported address as the reporter pasted it, linked to its item. */
export const reportUrls = sqliteTable(
  'report_urls',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    reportId: integer('report_id')
      .notNull()
      .references(() => reports.id, { onDelete: 'cascade' }),
    itemId: integer('item_id')
      .notNull()
      .references(() => items.id),
    position: integer('position').notNull(),
    input: text('input').notNull(),
  },
  (t) => [index('report_urls_report').on(t.reportId), index('report_urls_item').on(t.itemId)],
);

/**
 * Form tokens already used, so a replay is refused even after a restart. Only a keyed hash of the
 * token's nonce is kept, until the token would have expired anyway; then the row is swept.
 * For a short while after a report was accepted with a token, the row also holds that report's
 * receipt, sealed under a key derived from the token itself, which is not stored: only the browser
 * tab that holds the form can have it shown again (reload, back, double submit).
 */
export const usedFormTokens = sqliteTable(
  'used_form_tokens',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    nonceHash: text('nonce_hash').notNull().unique(),
    expiresAt: integer('expires_at').notNull(),
    receiptSealed: text('receipt_sealed'),
    /** Until when the receipt can be shown again; the sealed receipt is erased after it. */
    receiptUntil: integer('receipt_until'),
  },
  (t) => [index('used_form_tokens_expiry').on(t.expiresAt), index('used_form_tokens_receipt_until').on(t.receiptUntil)],
);
