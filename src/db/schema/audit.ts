import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The append-only, hash-chained audit trail. `hash` = HMAC-SHA-256 under the audit key of
 * (prevHash + canonical JSON of the event), so editing, deleting or reordering a row breaks the
 * chain, and without the key it cannot be recomputed (see src/audit/chain.ts and verify.ts).
 */
export const auditEvents = sqliteTable(
  'audit_events',
  {
    /** 1, 2, 3, ... assigned by recordAuditEvent; part of the hashed event. */
    seq: integer('seq').primaryKey(),
    at: integer('at').notNull(),
    /** `system` or `user:<id>`. */
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    objectType: text('object_type').notNull(),
    objectId: text('object_id'),
    /** Canonical JSON object; never secrets or personal data. */
    details: text('details').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull().unique(),
  },
  (t) => [index('audit_events_object').on(t.objectType, t.objectId, t.seq)],
);
