import { asc, gt } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { auditEvents } from '../db/schema/audit.ts';
import { canonicalJson, type JsonValue } from './canonical-json.ts';
import { genesisHash, hashEvent } from './chain.ts';

type BreakReason = 'sequence' | 'link' | 'hash' | 'details' | 'anchor';

/** One event named by its place and hash, e.g. a head written down elsewhere. */
export interface ChainHead {
  seq: number;
  hash: string;
}

export type ChainVerdict =
  | {
      ok: true;
      events: number;
      /** The newest event (null for an empty chain): keep it outside the database to catch a cut tail. */
      head: ChainHead | null;
    }
  | {
      ok: false;
      /** Events checked and found sound before the broken one. */
      events: number;
      /** The sequence number of the first event that does not fit the chain (or of the first anchor it fails). */
      brokenAt: number;
      reason: BreakReason;
    };

const batchSize = 1000;

/**
 * Every row in sequence order, read in batches so a long trail never sits in memory. The first
 * batch has no lower bound: a row numbered 0 or below is read (and refused) like any other.
 */
function* eventsInOrder(db: DbOrTx) {
  let after: number | undefined;
  for (;;) {
    const batch = db
      .select()
      .from(auditEvents)
      .where(after === undefined ? undefined : gt(auditEvents.seq, after))
      .orderBy(asc(auditEvents.seq))
      .limit(batchSize)
      .all();
    yield* batch;
    const last = batch.at(-1);
    if (!last || batch.length < batchSize) return;
    after = last.seq;
  }
}

/**
 * Walks the whole chain in order; run it in one transaction so it sees a single state. The rows
 * must be numbered 1, 2, 3, ... with no gap, each linked to the previous hash, with details stored
 * as exactly their canonical JSON, and each hash must be the keyed hash of its event: an edited row
 * fails its own hash, a deleted row leaves a gap or a broken link, swapped rows fail both, and a
 * rewrite that recomputes the hashes fails without the key. Removing only the newest rows cannot be
 * seen from the chain alone: each of `anchors`, heads kept elsewhere, must still be in the chain
 * with its hash; an anchor beyond the head means the tail was cut.
 */
export function verifyAuditChain(db: DbOrTx, key: Buffer, anchors: readonly ChainHead[] = []): ChainVerdict {
  const anchored = new Map<number, string[]>();
  for (const anchor of anchors) anchored.set(anchor.seq, [...(anchored.get(anchor.seq) ?? []), anchor.hash]);
  let head: ChainHead | null = null;
  for (const row of eventsInOrder(db)) {
    const sound: number = head?.seq ?? 0;
    const broken = (reason: BreakReason): ChainVerdict => ({ ok: false, events: sound, brokenAt: row.seq, reason });
    if (row.seq !== sound + 1) return broken('sequence');
    const prevHash = head?.hash ?? genesisHash;
    if (row.prevHash !== prevHash) return broken('link');
    const details = canonicalDetails(row.details);
    if (!details) return broken('details');
    if (hashEvent(key, prevHash, { ...row, details }) !== row.hash) return broken('hash');
    if (anchored.get(row.seq)?.some((hash) => hash !== row.hash)) return broken('anchor');
    head = { seq: row.seq, hash: row.hash };
  }
  const events = head?.seq ?? 0;
  const beyond = Math.min(...anchors.map((a) => a.seq).filter((seq) => seq > events));
  if (Number.isFinite(beyond)) return { ok: false, events, brokenAt: beyond, reason: 'anchor' };
  return { ok: true, events, head };
}

/** The details object, when the stored text is one and exactly its canonical JSON. */
function canonicalDetails(text: string): { [key: string]: JsonValue } | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    const details = value as { [key: string]: JsonValue };
    return canonicalJson(details) === text ? details : undefined;
  } catch {
    return undefined;
  }
}
