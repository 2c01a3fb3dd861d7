import { desc } from 'drizzle-orm';
import type { Tx } from '../db/client.ts';
import { auditEvents } from '../db/schema/audit.ts';
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
}

export type RecordedAuditEvent = ChainedEventFields & { prevHash: string; hash: string };

/**
 * Appends one event to the chain. Call it inside the transaction that makes the change it records,
 * so both commit or neither does. Two writers racing for the same `seq` collide on the primary key
 * rather than forking the chain.
 */
export function recordAuditEvent(tx: Tx, event: AuditEventInput): RecordedAuditEvent {
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
    details: event.details ?? {},
  };
  const prevHash = last?.hash ?? genesisHash;
  const hash = hashEvent(prevHash, fields);
  tx.insert(auditEvents)
    .values({ ...fields, details: canonicalJson(fields.details), prevHash, hash })
    .run();
  return { ...fields, prevHash, hash };
}
