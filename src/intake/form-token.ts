import { createHmac, randomBytes } from 'node:crypto';
import { lte } from 'drizzle-orm';
import { secretsEqual } from '../crypto/constant-time.ts';
import type { DbOrTx } from '../db/client.ts';
import { usedFormTokens } from '../db/schema/intake.ts';

/**
 * The public form sets no cookie, so it carries its own proof of origin: a token that says when this
 * server issued it, signed with a key derived from the secret key. It expires, and it is accepted once:
 * a keyed hash of each used token's nonce is kept in the database until the token's expiry, so a
 * replay is refused even after a restart.
 */
export interface FormTokens {
  issue(): string;
  /** True once for a valid, unexpired, unused token. */
  redeem(token: unknown): boolean;
}

const sweepEveryMs = 60_000;

export function createFormTokens(db: DbOrTx, key: Buffer, now: () => number, lifetimeMs = 2 * 3_600_000): FormTokens {
  let lastSweep = Number.NEGATIVE_INFINITY;
  const mac = (text: string) => createHmac('sha256', key).update(text).digest('base64url');
  // A payload is `issued.nonce`, never `used:...`: the two uses of the key cannot be confused.
  const usedHash = (nonce: string) => mac(`used:${nonce}`);

  // Expired rows can be forgotten: their tokens are refused for their age anyway. Once a minute
  // is enough to keep the table small without a delete on every submission.
  const forgetExpired = (at: number) => {
    if (at - lastSweep < sweepEveryMs) return;
    lastSweep = at;
    db.delete(usedFormTokens).where(lte(usedFormTokens.expiresAt, at)).run();
  };

  return {
    issue() {
      const payload = `${now().toString(36)}.${randomBytes(12).toString('base64url')}`;
      return `${payload}.${mac(payload)}`;
    },
    redeem(token) {
      if (typeof token !== 'string' || token.length > 200) return false;
      const parts = token.split('.');
      if (parts.length !== 3) return false;
      const [issued = '', nonce = '', signature = ''] = parts;
      if (!secretsEqual(mac(`${issued}.${nonce}`), signature)) return false;
      const at = now();
      const expiresAt = Number.parseInt(issued, 36) + lifetimeMs;
      if (!Number.isFinite(expiresAt) || expiresAt <= at) return false;
      forgetExpired(at);
      const inserted = db
        .insert(usedFormTokens)
        .values({ nonceHash: usedHash(nonce), expiresAt })
        .onConflictDoNothing()
        .run();
      return inserted.changes === 1;
    },
  };
}
