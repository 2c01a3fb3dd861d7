import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import argon2 from 'argon2';

/**
 * argon2id cost. OWASP's minimum is m=19 MiB, t=2, p=1; we take 64 MiB and three passes, about
 * 150 ms on one core, because login is rare and throttled while offline guessing is not.
 */
export interface Argon2Cost {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}
export const argon2Cost: Argon2Cost = { memoryCost: 65_536, timeCost: 3, parallelism: 1 };

const passwordMinLength = 12;
export const passwordMaxLength = 256;

// NFKC so that the same password typed on two keyboards (composed or decomposed accents) hashes alike.
const normalise = (password: string) => password.normalize('NFKC');

/** The argon2id PHC string of a password. `cost` is for tests; production calls use the default. */
export function hashPassword(password: string, cost: Argon2Cost = argon2Cost): Promise<string> {
  return argon2.hash(normalise(password), { type: argon2.argon2id, ...cost });
}

/** True when `password` matches `hash`; false (never a throw) for a malformed hash. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, normalise(password));
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * A check that spends the time of a real verification and fails, for logins naming no account, so
 * the response time does not tell whether a username exists. Its hash (of a random password) is
 * computed once per process when the first verifier is created, at startup, not on the first
 * unknown-user login, which would make that one answer slower than a known user's.
 */
export function createDummyVerifier(): (password: string) => Promise<false> {
  dummyHash ??= hashPassword(randomBytes(24).toString('base64url'));
  const hash = dummyHash;
  return async (password) => {
    await verifyPassword(await hash, password);
    return false;
  };
}

const commonPasswords = new Set(
  readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
    .split('\n')
    .map((line) => line.trim().toLowerCase())
    .filter((line) => line && !line.startsWith('#')),
);

/**
 * The message key of the first rule a new password breaks, or undefined. Length and a list of
 * common passwords only: composition rules make passwords harder to remember, not to guess.
 */
export function passwordProblem(password: string, username?: string): string | undefined {
  const normalised = normalise(password);
  const length = [...normalised].length;
  if (length < passwordMinLength) return 'error.password.too_short';
  if (length > passwordMaxLength) return 'error.password.too_long';
  const lower = normalised.toLowerCase();
  // A dozen keystrokes drawn from three characters is as weak as any entry on the list.
  if (commonPasswords.has(lower) || new Set(lower).size < 4) return 'error.password.too_common';
  if (username && username.length >= 3 && lower.includes(username.toLowerCase())) {
    return 'error.password.contains_username';
  }
  return undefined;
}
