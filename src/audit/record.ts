import { desc } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.ts';
import { auditEventObjects, auditEvents } from '../db/schema/audit.ts';
import { type AuditAction, isAuditAction } from './actions.ts';
import { canonicalJson, type JsonValue } from './canonical-json.ts';
import { type AuditActor, type ChainedEventFields, genesisHash, hashEvent } from './chain.ts';

export interface AuditEventInput {
  /** Milliseconds since the epoch, from the caller's clock. */
  at: number;
  actor: AuditActor;
  action: AuditAction;
  objectType: string;
  objectId?: string | number | null;
  /** Ids, states, counts: never secrets, content or personal data. */
  details?: { [key: string]: JsonValue };
  /** Other objects the event is about (`item:12` for an assessment's confirmation); hashed as `details.about`. */
  about?: readonly { type: string; id: string | number }[];
}

export type RecordedAuditEvent = ChainedEventFields & { prevHash: string; hash: string };

/**
 * Runs `change` in the write transaction a change and its audit event need. It is IMMEDIATE: the
 * write lock is taken at BEGIN, so a concurrent append from another process (the CLI) makes it
 * wait (busy_timeout). A deferred transaction would read the chain head first and then fail at
 * its first write with SQLITE_BUSY_SNAPSHOT, which no waiting can cure.
 */
export function auditedTransaction<T>(db: Db, change: (tx: Tx) => T): T {
  return db.transaction(change, { behavior: 'immediate' });
}

/**
 * Appends one event to the chain, hashed under `key` (see auditKey). Call it inside the
 * auditedTransaction that makes the change it records, so both commit or neither does. Two writers
 * racing for the same `seq` collide on the primary key rather than forking the chain.
 */
export function recordAuditEvent(tx: Tx, key: Buffer, event: AuditEventInput): RecordedAuditEvent {
  if (!isAuditAction(event.action)) throw new Error(`unknown audit action: ${String(event.action)}`);
  const last = tx
    .select({ seq: auditEvents.seq, hash: auditEvents.hash })
    .from(auditEvents)
    .orderBy(desc(auditEvents.seq))
    .limit(1)
    .get();
  const fields: ChainedEventFields = {
    seq: (last?.seq ?? 0) + 1,
    at: event.at,
    actor: event.actor,
    action: event.action,
    objectType: event.objectType,
    objectId: event.objectId === undefined || event.objectId === null ? null : String(event.objectId),
    details: withAbout(event),
  };
  const prevHash = last?.hash ?? genesisHash;
  const hash = hashEvent(key, prevHash, fields);
  tx.insert(auditEvents)
    .values({ ...fields, details: canonicalJson(fields.details), prevHash, hash })
    .run();
  for (const other of event.about ?? []) {
    tx.insert(auditEventObjects)
      .values({ seq: fields.seq, objectType: other.type, objectId: String(other.id) })
      .run();
  }
  return { ...fields, prevHash, hash };
}

function withAbout(event: AuditEventInput): { [key: string]: JsonValue } {
  const details = event.details ?? {};
  if (!event.about?.length) return details;
  return { ...details, about: event.about.map((other) => `${other.type}:${other.id}`) };
}
