import { createHmac, randomBytes } from 'node:crypto';
import { eq, lte } from 'drizzle-orm';
import { secretsEqual } from '../crypto/constant-time.ts';
import { open, type SealedPlace, seal } from '../crypto/seal.ts';
import type { DbOrTx } from '../db/client.ts';
import { usedFormTokens } from '../db/schema/intake.ts';

/**
 * The public form sets no cookie, so it carries its own proof of origin: a token that says when this
 * server issued it, signed with a key derived from the secret key. It expires, and it is accepted once:
 * a keyed hash of each used token's nonce is kept in the database until the token's expiry, so a
 * replay is refused even after a restart.
 *
 * The token also keeps the reporter's receipt for a few minutes: sent again from the same page
 * (reload, back, a second click), it shows the same receipt instead of making a second report.
 * The receipt is sealed under a key derived from the whole token, which the server never stores;
 * the database alone cannot open it, and it is erased when its time is up.
 */
export interface FormTokens {
  issue(): string;
  redeem(token: unknown): Redemption;
}

export type Redemption =
  /** A valid token seen for the first time: the caller may keep the receipt of what it accepted. */
  | { fresh: true; keepReceipt(receipt: string): void }
  /** Invalid, expired or already used; `receipt` when its report's receipt may still be shown again. */
  | { fresh: false; receipt?: string };

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
  // their time are erased. Once a minute is enough to keep this off most submissions.
  const sweep = (at: number) => {
    if (at - lastSweep < sweepEveryMs) return;
    lastSweep = at;
    db.delete(usedFormTokens).where(lte(usedFormTokens.expiresAt, at)).run();
    db.update(usedFormTokens)
      .set({ receiptSealed: null, receiptUntil: null })
      .where(lte(usedFormTokens.receiptUntil, at))
      .run();
  };

  const receiptOf = (token: string, nonceHash: string, at: number): string | undefined => {
    const row = db.select().from(usedFormTokens).where(eq(usedFormTokens.nonceHash, nonceHash)).get();
    if (!row?.receiptSealed || row.receiptUntil === null || row.receiptUntil <= at) return undefined;
    return open(receiptKey(token), row.receiptSealed, receiptPlace(row.id));
  };

  return {
    issue() {
      const payload = `${now().toString(36)}.${randomBytes(12).toString('base64url')}`;
      return `${payload}.${sign(payload)}`;
    },
    redeem(token) {
      if (typeof token !== 'string' || token.length > 200) return { fresh: false };
      const parts = token.split('.');
      if (parts.length !== 3) return { fresh: false };
      const [issued = '', nonce = '', signature = ''] = parts;
      if (!secretsEqual(sign(`${issued}.${nonce}`), signature)) return { fresh: false };
      const at = now();
      const expiresAt = Number.parseInt(issued, 36) + lifetimeMs;
      if (!Number.isFinite(expiresAt) || expiresAt <= at) return { fresh: false };
      sweep(at);
      const nonceHash = usedHash(nonce);
      const inserted = db
        .insert(usedFormTokens)
        .values({ nonceHash, expiresAt })
        .onConflictDoNothing()
        .returning({ id: usedFormTokens.id })
        .get();
      if (!inserted) return { fresh: false, receipt: receiptOf(token, nonceHash, at) };
      const keepReceipt = (receipt: string) => {
        const receiptSealed = seal(receiptKey(token), receipt, receiptPlace(inserted.id));
        db.update(usedFormTokens)
          .set({ receiptSealed, receiptUntil: at + receiptReplayMs })
          .where(eq(usedFormTokens.id, inserted.id))
          .run();
      };
      return { fresh: true, keepReceipt };
    },
  };
}
