import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const signalTypes = ['pdq', 'blockhash', 'sha256', 'sha1', 'md5'] as const;
export type SignalType = (typeof signalTypes)[number];

/** A named list of known signals: our own confirmed assessments (`hotline`) or an imported partner list. */
export const banks = sqliteTable('banks', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  /** Where the entries come from: `own` (our assessments) or the import format (`csv`, `vics`). */
  source: text('source').notNull(),
  description: text('description'),
  /** A disabled bank is kept but never matched. */
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
  createdAt: integer('created_at').notNull(),
});

/** One known signal. The value is lowercase hex; the label uses the taxonomy (src/review/taxonomy.ts). */
export const bankEntries = sqliteTable(
  'bank_entries',
  {
    // AUTOINCREMENT: ids only ever grow, so a matcher catches up on new entries by id alone.
    id: integer('id').primaryKey({ autoIncrement: true }),
    bankId: integer('bank_id')
      .notNull()
      .references(() => banks.id),
    signalType: text('signal_type', { enum: signalTypes }).notNull(),
    value: text('value').notNull(),
    label: text('label').notNull(),
    /** The partner's reference for the entry (a CSV `source` column, a VICS MediaID). */
    sourceRef: text('source_ref'),
    addedAt: integer('added_at').notNull(),
    enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
  },
  // Type and value first: the same index makes import idempotent and serves exact lookups.
  (t) => [uniqueIndex('bank_entries_signal').on(t.signalType, t.value, t.bankId)],
);
