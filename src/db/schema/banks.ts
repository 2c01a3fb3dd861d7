import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { type SignalType, signalTypes } from '../../signals/types/index.ts';

export { type SignalType, signalTypes };

/** A named list of known signals: our own confirmed assessments (`hotline`) or a partner list. */
export const banks = sqliteTable('banks', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  /**
   * Where the entries come from: `own` (our assessments, only the bank named `hotline`, see
   * src/banks/own-bank.ts) or `partner` (filled by imports; the import format is in bank_imports).
   */
  source: text('source').notNull(),
  description: text('description'),
  /** A disabled bank is kept but never matched. */
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
  createdAt: integer('created_at').notNull(),
});

export const bankImportStatuses = ['running', 'done', 'failed'] as const;
export type BankImportStatus = (typeof bankImportStatuses)[number];

/**
 * One import of a partner file. Its entries are written disabled in short batches and enabled
 * together when it is `done`; a `failed` import's entries are deleted. An import still `running`
 * when another import into the same bank starts is taken for crashed and fails.
 */
export const bankImports = sqliteTable('bank_imports', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  bankId: integer('bank_id')
    .notNull()
    .references(() => banks.id),
  format: text('format').notNull(),
  status: text('status', { enum: bankImportStatuses }).notNull(),
  startedAt: integer('started_at').notNull(),
  finishedAt: integer('finished_at'),
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
    /** The taxonomy version the label was written in (TAXONOMY_VERSION), for later migrations of labels. */
    taxonomyVersion: integer('taxonomy_version').notNull(),
    /** The partner's reference for the entry (a CSV `source` column, a VICS MediaID). */
    sourceRef: text('source_ref'),
    addedAt: integer('added_at').notNull(),
    enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
    /** The import that added the entry; null for entries written by Hotline itself. */
    importId: integer('import_id').references(() => bankImports.id),
  },
  (t) => [
    // Type and value first: the same index makes import idempotent and serves exact lookups.
    uniqueIndex('bank_entries_signal').on(t.signalType, t.value, t.bankId),
    index('bank_entries_import').on(t.importId),
  ],
);
