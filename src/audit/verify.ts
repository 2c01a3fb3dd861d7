import { asc, gt } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { auditEvents } from '../db/schema/audit.ts';
import type { JsonValue } from './canonical-json.ts';
import { genesisHash, hashEvent } from './chain.ts';

type BreakReason = 'sequence' | 'link' | 'hash' | 'details';

export type ChainVerdict =
  | { ok: true; events: number }
  | {
      ok: false;
      /** Events checked and found sound before the broken one. */
      events: number;
      /** The sequence number of the first event that does not fit the chain. */
      brokenAt: number;
      reason: BreakReason;
    };

const batchSize = 1000;

/** Every event in order, read in batches by sequence number so a long trail never sits in memory. */
function* eventsInOrder(db: DbOrTx) {
  let after = 0;
  for (;;) {
    const batch = db
      .select()
      .from(auditEvents)
      .where(gt(auditEvents.seq, after))
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
 * Walks the whole chain in order. An edited row fails its own hash, a deleted row leaves a gap in
 * the sequence and a broken link, swapped rows fail both. Removing only the newest rows cannot be
 * seen from the chain alone: that needs the last hash kept somewhere else.
 */
export function verifyAuditChain(db: DbOrTx): ChainVerdict {
  let prevHash = genesisHash;
  let expectedSeq = 1;
  for (const row of eventsInOrder(db)) {
    const broken = (reason: BreakReason): ChainVerdict => ({
      ok: false,
      events: expectedSeq - 1,
      brokenAt: row.seq,
      reason,
    });
    if (row.seq !== expectedSeq) return broken('sequence');
    if (row.prevHash !== prevHash) return broken('link');
    const details = parseDetails(row.details);
    if (!details) return broken('details');
    if (hashEvent(prevHash, { ...row, details }) !== row.hash) return broken('hash');
    prevHash = row.hash;
    expectedSeq += 1;
  }
  return { ok: true, events: expectedSeq - 1 };
}

function parseDetails(text: string): { [key: string]: JsonValue } | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as { [key: string]: JsonValue })
      : undefined;
  } catch {
    return undefined;
  }
}
