import { createHmac } from 'node:crypto';
import type { Config } from '../config.ts';
import { deriveKey } from '../crypto/seal.ts';
import { canonicalJson, type JsonValue } from './canonical-json.ts';

/** The `prevHash` of the first event. */
export const genesisHash = '0'.repeat(64);

/** `system`, or the user who acted. */
export type AuditActor = 'system' | `user:${number}`;
export const userActor = (userId: number): AuditActor => `user:${userId}`;
/** The account a `userActor` names; null for any other actor (`system`, ...). */
export const userIdOfActor = (actor: string): number | null =>
  /^user:\d+$/.test(actor) ? Number(actor.slice('user:'.length)) : null;

/**
 * The key the chain is computed under. Without it, write access to the database is not enough to
 * rewrite a row and recompute every later hash: the forged chain would not verify.
 */
export const auditKey = (config: Pick<Config, 'hashKey'>): Buffer => deriveKey(config.hashKey, 'audit');

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

/** HMAC-SHA-256 (hex) under the audit key over the previous event's hash followed by the canonical JSON of this event. */
export function hashEvent(key: Buffer, prevHash: string, event: ChainedEventFields): string {
  const { seq, at, actor, action, objectType, objectId, details } = event;
  const body = canonicalJson({ seq, at, actor, action, objectType, objectId, details });
  return createHmac('sha256', key).update(prevHash).update(body).digest('hex');
}
