import { createHmac, randomBytes } from 'node:crypto';
import { secretsEqual } from '../crypto/constant-time.ts';

/**
 * The public form sets no cookie, so it carries its own proof of origin: a token that says when this
 * server issued it, signed with a key derived from the secret key. It expires, and it is accepted once
 * (replays within its lifetime are refused; the used set lives in memory only).
 */
export interface FormTokens {
  issue(): string;
  /** True once for a valid, unexpired, unused token. */
  redeem(token: unknown): boolean;
}

export function createFormTokens(key: Buffer, now: () => number, lifetimeMs = 2 * 3_600_000): FormTokens {
  const used = new Map<string, number>(); // nonce -> expiry
  let lastSweep = now();

  const sign = (payload: string) => createHmac('sha256', key).update(payload).digest('base64url');

  // Expired nonces can be forgotten: their tokens are refused for their age anyway. Once a minute
  // is enough to keep the set small without walking it on every submission.
  const forgetExpired = (at: number) => {
    if (at - lastSweep < 60_000) return;
    lastSweep = at;
    for (const [nonce, expiry] of used) if (expiry <= at) used.delete(nonce);
  };

  return {
    issue() {
      const payload = `${now().toString(36)}.${randomBytes(12).toString('base64url')}`;
      return `${payload}.${sign(payload)}`;
    },
    redeem(token) {
      if (typeof token !== 'string' || token.length > 200) return false;
      const parts = token.split('.');
      if (parts.length !== 3) return false;
      const [issued = '', nonce = '', signature = ''] = parts;
      if (!secretsEqual(sign(`${issued}.${nonce}`), signature)) return false;
      const at = now();
      const expiry = Number.parseInt(issued, 36) + lifetimeMs;
      if (!Number.isFinite(expiry) || expiry <= at) return false;
      forgetExpired(at);
      if (used.has(nonce)) return false;
      used.set(nonce, expiry);
      return true;
    },
  };
}
