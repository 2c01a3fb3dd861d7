import { describe, expect, it } from 'vitest';
import { afterFailedLogin, isLocked, type LockState, lockoutThreshold, maxLockMs } from '../../src/auth/lockout.ts';

const minute = 60_000;
const lockoutMs = 15 * minute;
const fresh: LockState = { failedLogins: 0, lockedUntil: null };

function failTimes(n: number, at: number, state = fresh, base = lockoutMs): LockState {
  let s = state;
  for (let i = 0; i < n; i++) s = afterFailedLogin(s, at, base);
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

  it('doubles the wait with each further failure, up to four hours', () => {
    expect(maxLockMs).toBe(4 * 60 * minute);
    let state = failTimes(5, 0);
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      state = afterFailedLogin(state, 10_000, lockoutMs);
      waits.push((state.lockedUntil ?? 0) - 10_000);
    }
    expect(waits.map((w) => w / minute)).toEqual([30, 60, 120, 240, 240, 240]);
  });

  it('never locks for longer than the cap, however long the streak', () => {
    for (const n of [40, 1_100, 100_000]) {
      const state = failTimes(n, 5_000);
      expect(state.failedLogins).toBe(n);
      expect(state.lockedUntil).toBe(5_000 + maxLockMs);
    }
  });

  it('keeps a configured base lock longer than the cap', () => {
    const day = 24 * 60 * minute;
    expect(failTimes(5, 0, fresh, day).lockedUntil).toBe(day);
    expect(failTimes(9, 0, fresh, day).lockedUntil).toBe(day);
  });
});
