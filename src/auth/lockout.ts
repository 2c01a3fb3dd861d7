/** Consecutive failed logins that lock an account. */
export const lockoutThreshold = 5;
// 2^10 times the base lock (about ten days for 15 minutes) is as long as a lock needs to get.
const maxDoublings = 10;

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
 * checked) locks it again for twice the previous wait. Only a successful login or a reset ends
 * the streak.
 */
export function afterFailedLogin(state: LockState, now: number, lockoutMs: number): LockState {
  const failedLogins = state.failedLogins + 1;
  if (failedLogins < lockoutThreshold) return { failedLogins, lockedUntil: null };
  const doublings = Math.min(failedLogins - lockoutThreshold, maxDoublings);
  return { failedLogins, lockedUntil: now + lockoutMs * 2 ** doublings };
}
