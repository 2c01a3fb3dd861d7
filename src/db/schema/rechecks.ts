import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { items } from './intake.ts';

/** What a re-check saw: the content gone, still served, or no answer worth counting (a timeout). */
export const recheckVerdicts = ['gone', 'online', 'unreachable'] as const;
export type RecheckVerdict = (typeof recheckVerdicts)[number];

/**
 * The follow-up of a forwarded item: when it is next re-fetched, and how many re-checks in a row
 * found it gone (two mark its forwards `removed`). One row per item, since all of an item's
 * forwards are about the same content.
 */
export const itemRechecks = sqliteTable(
  'item_rechecks',
  {
    itemId: integer('item_id')
      .primaryKey()
      .references(() => items.id, { onDelete: 'cascade' }),
    /** Re-checks in a row that found the content gone; an `unreachable` one neither adds nor resets. */
    goneStreak: integer('gone_streak').notNull().default(0),
    /** The first re-check of the current streak: the time a removal is recorded with. */
    goneSince: integer('gone_since'),
    nextCheckAt: integer('next_check_at').notNull(),
    lastCheckedAt: integer('last_checked_at'),
    lastVerdict: text('last_verdict', { enum: recheckVerdicts }),
    /** Why (`http_404`, `dns`, `hashes_not_served`, `hashes_served`, `timeout`, ...): a stable id, never content. */
    lastReason: text('last_reason'),
  },
  (t) => [index('item_rechecks_next').on(t.nextCheckAt)],
);
