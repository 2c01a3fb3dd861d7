/** Consecutive failed logins that lock an account. */
export const lockoutThreshold = 5;
/**
 * The longest lock doubling can reach. Without a cap, an attacker who knows a username could keep
 * failing and lock its owner out for days; `hotline user unlock` ends a lock at once.
 */
export const maxLockMs = 4 * 3_600_000;

export interface LockState {
  failedLogins: number;
  lockedUntil: number | null;
}

export function isLocked(state: LockState, now: number): boolean {
  return state.lockedUntil !== null && now < state.lockedUntil;
}

/**
 * The state after one more failed login. The fifth consecutive failure locks the account for
 * `lockoutMs`; every failure after it (including attempts made while locked, which are not even
 * checked) locks it again for twice the previous wait, up to `maxLockMs` (or `lockoutMs` if the
 * configured base lock is longer). Only a successful login, an unlock or a reset ends the streak.
 */
export function afterFailedLogin(state: LockState, now: number, lockoutMs: number): LockState {
  const failedLogins = state.failedLogins + 1;
  if (failedLogins < lockoutThreshold) return { failedLogins, lockedUntil: null };
  // 2 ** n overflows to Infinity for a long streak, which the cap turns back into a finite wait.
  const wait = Math.min(lockoutMs * 2 ** (failedLogins - lockoutThreshold), Math.max(maxLockMs, lockoutMs));
  return { failedLogins, lockedUntil: now + wait };
}

/** The state an unlock leaves: no lock, no streak. */
export const unlocked: LockState = { failedLogins: 0, lockedUntil: null };
