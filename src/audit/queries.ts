import { and, desc, eq, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { auditEvents } from '../db/schema/audit.ts';
import type { JsonValue } from './canonical-json.ts';

export interface AuditQuery {
  objectType?: string;
  objectId?: string;
  /** 1-based. */
  page: number;
  pageSize: number;
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

/** The events of one object (or one object type, or all), newest first, one page at a time. */
export function listAuditEvents(db: DbOrTx, query: AuditQuery) {
  const filters: SQL[] = [];
  if (query.objectType) filters.push(eq(auditEvents.objectType, query.objectType));
  if (query.objectId) filters.push(eq(auditEvents.objectId, query.objectId));
  // One row more than a page tells whether a next page exists without counting the whole table.
  const rows = db
    .select()
    .from(auditEvents)
    .where(and(...filters))
    .orderBy(desc(auditEvents.seq))
    .limit(query.pageSize + 1)
    .offset((query.page - 1) * query.pageSize)
    .all();
  const events: AuditEventView[] = rows.slice(0, query.pageSize).map((row) => ({
    seq: row.seq,
    at: new Date(row.at).toISOString(),
    actor: row.actor,
    action: row.action,
    objectType: row.objectType,
    objectId: row.objectId,
    details: JSON.parse(row.details) as JsonValue,
    hash: row.hash,
  }));
  return { events, page: query.page, pageSize: query.pageSize, hasMore: rows.length > query.pageSize };
}
