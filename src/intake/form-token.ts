import { createHmac, randomBytes } from 'node:crypto';
import { and, eq, isNotNull, lte } from 'drizzle-orm';
import { secretsEqual } from '../crypto/constant-time.ts';
import { open, type SealedPlace, seal } from '../crypto/seal.ts';
import type { DbOrTx, Tx } from '../db/client.ts';
import { usedFormTokens } from '../db/schema/intake.ts';
import { Conflict } from '../errors.ts';

/**
 * The public form sets no cookie, so it carries its own proof of origin: a token that says when this
 * server issued it, signed with a key derived from the secret key. It expires, and it is accepted once:
 * a keyed hash of each used token's nonce is kept in the database until the token's expiry, so a
 * replay is refused even after a restart.
 *
 * The token also keeps the reporter's receipt for a few minutes: sent again from the same page
 * (reload, back, a second click), it shows the same receipt instead of making a second report.
 * The token is marked used, and the receipt sealed to it, in the report's own transaction: a token
 * is used by a report exactly when that report is stored. The receipt is sealed under a key derived
 * from the whole token, which the server never stores; the database alone cannot open it. It is
 * never opened once its time is up, and the next sweep erases it. The row itself stays until the
 * token expires, so a late replay learns that its report was received, not that it should send it
 * again.
 */
export interface FormTokens {
  issue(): string;
  /** What a posted token is. Reads only: looking up a replay changes nothing. */
  read(token: unknown): TokenReading;
  /** Marks a fresh token used by a post that made no report (a refusal): a replay gets no other try. */
  spend(fresh: FreshToken): void;
  /**
   * In the report's transaction: marks the token used by that report and seals its receipt to it.
   * Throws Conflict `form_token_used` when the token was used meanwhile (another process).
   */
  redeem(tx: Tx, fresh: FreshToken, receipt: string): void;
}

/** A valid token not used yet. `nonceHash` names it without revealing it (in memory, in the database). */
export interface FreshToken {
  token: string;
  nonceHash: string;
  expiresAt: number;
}

export type TokenReading =
  /** Malformed, forged or expired. */
  | { state: 'invalid' }
  | { state: 'fresh'; fresh: FreshToken }
  /** Used by a report within the last ten minutes: its receipt, shown again. */
  | { state: 'replay'; receipt: string }
  /** Used by a report longer ago: the receipt can no longer be shown, the report is stored. */
  | { state: 'received' }
  /** Used by a post that was refused. */
  | { state: 'spent' };

const sweepEveryMs = 60_000;
/** How long a sent form shows its receipt again: long enough for a reload or a back, short for a shared screen. */
export const receiptReplayMs = 10 * 60_000;

export function createFormTokens(db: DbOrTx, key: Buffer, now: () => number, lifetimeMs = 2 * 3_600_000): FormTokens {
  let lastSweep = Number.NEGATIVE_INFINITY;
  const mac = (text: string) => createHmac('sha256', key).update(text);
  const sign = (payload: string) => mac(payload).digest('base64url');
  // A payload is `issued.nonce`, never `used:...` or `receipt:...`: the uses of the key cannot be confused.
  const usedHash = (nonce: string) => mac(`used:${nonce}`).digest('base64url');
  const receiptKey = (token: string) => mac(`receipt:${token}`).digest();
  const receiptPlace = (rowId: number): SealedPlace => ({
    table: 'used_form_tokens',
    column: usedFormTokens.receiptSealed.name,
    rowId,
  });

  // Expired rows can be forgotten: their tokens are refused for their age anyway. Receipts past
  // their time are erased; `receipt_until` stays, saying the token made a report. Once a minute is
  // enough to keep this off most posts; a sweep rolled back with its report is done by the next one.
  const sweep = (tx: DbOrTx, at: number) => {
    if (at - lastSweep < sweepEveryMs) return;
    lastSweep = at;
    tx.delete(usedFormTokens).where(lte(usedFormTokens.expiresAt, at)).run();
    tx.update(usedFormTokens)
      .set({ receiptSealed: null })
      .where(and(lte(usedFormTokens.receiptUntil, at), isNotNull(usedFormTokens.receiptSealed)))
      .run();
  };

  const verify = (token: unknown): FreshToken | undefined => {
    if (typeof token !== 'string' || token.length > 200) return undefined;
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const [issued = '', nonce = '', signature = ''] = parts;
    if (!secretsEqual(sign(`${issued}.${nonce}`), signature)) return undefined;
    const expiresAt = Number.parseInt(issued, 36) + lifetimeMs;
    if (!Number.isFinite(expiresAt) || expiresAt <= now()) return undefined;
    return { token, nonceHash: usedHash(nonce), expiresAt };
  };

  return {
    issue() {
      const payload = `${now().toString(36)}.${randomBytes(12).toString('base64url')}`;
      return `${payload}.${sign(payload)}`;
    },
    read(token) {
      const fresh = verify(token);
      if (!fresh) return { state: 'invalid' };
      const row = db.select().from(usedFormTokens).where(eq(usedFormTokens.nonceHash, fresh.nonceHash)).get();
      if (!row) return { state: 'fresh', fresh };
      if (row.receiptUntil === null) return { state: 'spent' };
      // The ten minutes hold on reading, whether or not a sweep has erased the receipt yet.
      if (row.receiptUntil <= now() || !row.receiptSealed) return { state: 'received' };
      return { state: 'replay', receipt: open(receiptKey(fresh.token), row.receiptSealed, receiptPlace(row.id)) };
    },
    spend(fresh) {
      sweep(db, now());
      db.insert(usedFormTokens)
        .values({ nonceHash: fresh.nonceHash, expiresAt: fresh.expiresAt })
        .onConflictDoNothing()
        .run();
    },
    redeem(tx, fresh, receipt) {
      const at = now();
      sweep(tx, at);
      const inserted = tx
        .insert(usedFormTokens)
        .values({ nonceHash: fresh.nonceHash, expiresAt: fresh.expiresAt, receiptUntil: at + receiptReplayMs })
        .onConflictDoNothing()
        .returning({ id: usedFormTokens.id })
        .get();
      if (!inserted) throw new Conflict('form_token_used');
      tx.update(usedFormTokens)
        .set({ receiptSealed: seal(receiptKey(fresh.token), receipt, receiptPlace(inserted.id)) })
        .where(eq(usedFormTokens.id, inserted.id))
        .run();
    },
  };
}
