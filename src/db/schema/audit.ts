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

/**
 * The other objects an audit event is about (an assessment's confirmation is also about its item),
 * so `GET /api/v1/audit?object=item:ID` finds every event about the item. The same objects are in
 * the event's hashed `details.about`; this table only indexes them.
 */
export const auditEventObjects = sqliteTable(
  'audit_event_objects',
  {
    seq: integer('seq')
      .notNull()
      .references(() => auditEvents.seq),
    objectType: text('object_type').notNull(),
    objectId: text('object_id').notNull(),
  },
  (t) => [index('audit_event_objects_object').on(t.objectType, t.objectId, t.seq)],
);
