import { desc } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { auditEvents } from '../db/schema/audit.ts';
import type { ChainHead } from './verify.ts';

/**
 * An anchor: the head of the audit chain written down outside the database, one JSON line
 * `{"seq":N,"hash":"...","at":"ISO time"}`. Removing the newest events is invisible in the chain
 * itself; against an anchor it shows as a missing event or a different hash.
 */
export interface Anchor extends ChainHead {
  at: string;
}

/** The newest event of the chain, or undefined while it is empty. */
export function readChainHead(db: DbOrTx): ChainHead | undefined {
  return db
    .select({ seq: auditEvents.seq, hash: auditEvents.hash })
    .from(auditEvents)
    .orderBy(desc(auditEvents.seq))
    .limit(1)
    .get();
}

export const formatAnchor = (head: ChainHead, at: number): string =>
  JSON.stringify({ seq: head.seq, hash: head.hash, at: new Date(at).toISOString() });

export class AnchorFileError extends Error {}

/**
 * The anchors of a file of anchor lines (blank lines skipped). Anything else fails naming its line:
 * a damaged anchor file must not pass as one with fewer anchors.
 */
export function parseAnchors(text: string): Anchor[] {
  const anchors: Anchor[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const anchor = parseAnchor(line);
    if (!anchor) throw new AnchorFileError(`line ${index + 1} is not an anchor {"seq","hash","at"}`);
    anchors.push(anchor);
  });
  return anchors;
}

function parseAnchor(line: string): Anchor | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  const { seq, hash, at } = (value ?? {}) as Record<string, unknown>;
  if (!Number.isSafeInteger(seq) || (seq as number) < 1) return undefined;
  if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) return undefined;
  if (typeof at !== 'string' || Number.isNaN(Date.parse(at))) return undefined;
  return { seq: seq as number, hash, at };
}
