import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { outcomes } from '../../taxonomy/taxonomy.ts';
import { users } from './auth.ts';
import { bankEntries } from './banks.ts';
import { items } from './intake.ts';

/**
 * Where an assessment stands in the four-eyes process: waiting for a second person, confirmed,
 * disputed (a supervisor decides), or overruled by a later assessment of the same item.
 */
export const assessmentStatuses = ['pending', 'confirmed', 'disputed', 'overruled'] as const;
export type AssessmentStatus = (typeof assessmentStatuses)[number];

/** `analyst`: someone looked; `known`: a supervisor confirmed triage's suggestion from the own bank, without a view. */
export const assessmentSources = ['analyst', 'known'] as const;

/** One classification of an item (taxonomy v1 words), and its confirmation or dispute. */
export const assessments = sqliteTable(
  'assessments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    itemId: integer('item_id')
      .notNull()
      .references(() => items.id, { onDelete: 'cascade' }),
    /** Null for a `known` confirmation: the suggestion came from triage, not from a person. */
    authorId: integer('author_id').references(() => users.id),
    source: text('source', { enum: assessmentSources }).notNull(),
    /** The own-bank entry a `known` confirmation adopted. */
    sourceBankEntryId: integer('source_bank_entry_id').references(() => bankEntries.id),
    /** A legal status, or `gone` when the content could not be judged. */
    outcome: text('outcome', { enum: outcomes }).notNull(),
    content: text('content'),
    mediaType: text('media_type'),
    victimAgeGroup: text('victim_age_group'),
    victimGender: text('victim_gender'),
    siteType: text('site_type'),
    depiction: text('depiction'),
    comment: text('comment'),
    status: text('status', { enum: assessmentStatuses }).notNull(),
    createdAt: integer('created_at').notNull(),
    decidedBy: integer('decided_by').references(() => users.id),
    decidedAt: integer('decided_at'),
    decisionComment: text('decision_comment'),
  },
  (t) => [index('assessments_item').on(t.itemId), index('assessments_status').on(t.status)],
);

/** The review side of an item, once someone touched it: its claim, and when the reporter may learn what. */
export const itemReviews = sqliteTable(
  'item_reviews',
  {
    itemId: integer('item_id')
      .primaryKey()
      .references(() => items.id, { onDelete: 'cascade' }),
    claimedBy: integer('claimed_by').references(() => users.id),
    claimedUntil: integer('claimed_until'),
    /** First claim or assessment: from then on the reporter may see `in_review` (after the delay). */
    inReviewAt: integer('in_review_at'),
    /** Confirmation: from then on the reporter may see `closed` (after the delay). */
    decidedAt: integer('decided_at'),
  },
  (t) => [index('item_reviews_claimed_by').on(t.claimedBy)],
);

/** An analyst passed an item, and why; it is not served to them again that (UTC) day. */
export const itemSkips = sqliteTable(
  'item_skips',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    itemId: integer('item_id')
      .notNull()
      .references(() => items.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    /** `YYYY-MM-DD`, UTC. */
    day: text('day').notNull(),
    reason: text('reason').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [index('item_skips_user_day').on(t.userId, t.day, t.itemId)],
);

/** Time each analyst spent with imagery in view below the blur threshold, per UTC day. */
export const analystExposure = sqliteTable(
  'analyst_exposure',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    day: text('day').notNull(),
    ms: integer('ms').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.userId, t.day] })],
);

/** Workspace settings changed at run time by an admin (the configuration gives the defaults). */
export const reviewSettings = sqliteTable('review_settings', {
  key: text('key').primaryKey(),
  /** JSON. */
  value: text('value').notNull(),
  updatedAt: integer('updated_at').notNull(),
  updatedBy: integer('updated_by').references(() => users.id),
});

/**
 * A safe view below the blur threshold that is (or was) on an analyst's screen: the app reports it
 * with heartbeats while it shows, and the server charges the time since `lastChargedAt` (capped),
 * so the exposure is measured here, by the server's clock, whichever process serves the heartbeat.
 */
export const safeViews = sqliteTable(
  'safe_views',
  {
    /** Opaque and random: the app names the view by it (`X-View-Id`). */
    id: text('id').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    itemId: integer('item_id')
      .notNull()
      .references(() => items.id, { onDelete: 'cascade' }),
    medium: integer('medium').notNull(),
    openedAt: integer('opened_at').notNull(),
    /** When the time up to now was last charged; null while the view is hidden (nothing accrues). */
    lastChargedAt: integer('last_charged_at'),
    chargedMs: integer('charged_ms').notNull(),
  },
  (t) => [index('safe_views_user').on(t.userId, t.openedAt)],
);
