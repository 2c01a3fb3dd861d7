import { createHash } from 'node:crypto';
import { canonicalJson, type JsonValue } from './canonical-json.ts';

/** The `prevHash` of the first event. */
export const genesisHash = '0'.repeat(64);

/** `system`, or the user who acted. */
export type AuditActor = 'system' | `user:${number}`;
export const userActor = (userId: number): AuditActor => `user:${userId}`;

/** Everything that is hashed: the event as stored, minus the two hashes. */
export interface ChainedEventFields {
  seq: number;
  at: number;
  actor: string;
  action: string;
  objectType: string;
  objectId: string | null;
  details: { [key: string]: JsonValue };
}

/** SHA-256 (hex) over the previous event's hash followed by the canonical JSON of this event. */
export function hashEvent(prevHash: string, event: ChainedEventFields): string {
  const { seq, at, actor, action, objectType, objectId, details } = event;
  const body = canonicalJson({ seq, at, actor, action, objectType, objectId, details });
  return createHash('sha256').update(prevHash).update(body).digest('hex');
}
