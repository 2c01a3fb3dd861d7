import { describe, expect, it } from 'vitest';
import { afterFailedLogin, isLocked, type LockState, lockoutThreshold } from '../../src/auth/lockout.ts';

const lockoutMs = 15 * 60_000;
const fresh: LockState = { failedLogins: 0, lockedUntil: null };

function failTimes(n: number, at: number, state = fresh): LockState {
  let s = state;
  for (let i = 0; i < n; i++) s = afterFailedLogin(s, at, lockoutMs);
  return s;
}

describe('lockout', () => {
  it('locks on the fifth consecutive failure, for lockoutMs', () => {
    expect(lockoutThreshold).toBe(5);
    const four = failTimes(4, 1000);
    expect(isLocked(four, 1000)).toBe(false);
    const five = afterFailedLogin(four, 2000, lockoutMs);
    expect(five).toEqual({ failedLogins: 5, lockedUntil: 2000 + lockoutMs });
    expect(isLocked(five, 2000 + lockoutMs - 1)).toBe(true);
    expect(isLocked(five, 2000 + lockoutMs)).toBe(false);
  });

  it('doubles the wait with each further failure', () => {
    let state = failTimes(5, 0);
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      state = afterFailedLogin(state, 10_000, lockoutMs);
      waits.push((state.lockedUntil ?? 0) - 10_000);
    }
    expect(waits).toEqual([2, 4, 8, 16].map((k) => k * lockoutMs));
  });

  it('stops doubling at a bound', () => {
    const state = failTimes(200, 0);
    expect(Number.isFinite(state.lockedUntil)).toBe(true);
    expect(state.lockedUntil).toBe(lockoutMs * 2 ** 10);
  });
});
