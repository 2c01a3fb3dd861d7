import { and, desc, eq, inArray, lt, or, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { auditEventObjects, auditEvents } from '../db/schema/audit.ts';
import type { JsonValue } from './canonical-json.ts';

export interface AuditQuery {
  objectType?: string;
  objectId?: string;
  /** Only events older than this sequence number (the `next` of the page before). */
  before?: number;
  limit: number;
}

export interface AuditEventView {
  seq: number;
  at: string;
  actor: string;
  action: string;
  objectType: string;
  objectId: string | null;
  details: JsonValue;
  hash: string;
}

export interface AuditPage {
  events: AuditEventView[];
  /** The `before` of the next (older) page, or null when this one is the last. */
  next: number | null;
}

/**
 * The events of one object (or one object type, or all), newest first, a page at a time. Paging
 * goes by sequence number, not offset, so a deep page costs what the first one does.
 */
export function listAuditEvents(db: DbOrTx, query: AuditQuery): AuditPage {
  const filters: SQL[] = [];
  if (query.objectType && query.objectId) {
    // An event about the object as its main object, or as one of the others it names.
    const alsoAbout = db
      .select({ seq: auditEventObjects.seq })
      .from(auditEventObjects)
      .where(and(eq(auditEventObjects.objectType, query.objectType), eq(auditEventObjects.objectId, query.objectId)));
    filters.push(
      or(
        and(eq(auditEvents.objectType, query.objectType), eq(auditEvents.objectId, query.objectId)),
        inArray(auditEvents.seq, alsoAbout),
      ) as SQL,
    );
  } else if (query.objectType) filters.push(eq(auditEvents.objectType, query.objectType));
  if (query.before !== undefined) filters.push(lt(auditEvents.seq, query.before));
  // One row more than a page tells whether an older page exists without counting the whole table.
  const rows = db
    .select()
    .from(auditEvents)
    .where(and(...filters))
    .orderBy(desc(auditEvents.seq))
    .limit(query.limit + 1)
    .all();
  const events: AuditEventView[] = rows.slice(0, query.limit).map((row) => ({
    seq: row.seq,
    at: new Date(row.at).toISOString(),
    actor: row.actor,
    action: row.action,
    objectType: row.objectType,
    objectId: row.objectId,
    details: JSON.parse(row.details) as JsonValue,
    hash: row.hash,
  }));
  const hasMore = rows.length > query.limit;
  return { events, next: hasMore ? (events.at(-1)?.seq ?? null) : null };
}
