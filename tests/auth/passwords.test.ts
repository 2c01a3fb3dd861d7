import argon2 from 'argon2';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  argon2Cost,
  createDummyVerifier,
  hashPassword,
  passwordProblem,
  verifyPassword,
} from '../../src/auth/passwords.ts';
import { testArgon2Cost } from '../support/auth.ts';

describe('argon2id parameters', () => {
  it('meet at least the OWASP minimum (m=19 MiB, t=2, p=1)', () => {
    expect(argon2Cost.memoryCost).toBeGreaterThanOrEqual(19_456);
    expect(argon2Cost.timeCost).toBeGreaterThanOrEqual(2);
    expect(argon2Cost.parallelism).toBeGreaterThanOrEqual(1);
  });

  it('are what a production hash (no cost given) really carries', async () => {
    const hash = await hashPassword('a sturdy test passphrase');
    expect(hash.startsWith('$argon2id$v=19$')).toBe(true);
    const params = Object.fromEntries(
      (hash.split('$')[3] ?? '').split(',').map((kv) => kv.split('=') as [string, string]),
    );
    expect(params).toEqual({ m: '65536', t: '3', p: '1' });
    expect(argon2.needsRehash(hash, argon2Cost)).toBe(false);
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('hashPassword / verifyPassword', () => {
  it('accepts the password and nothing else', async () => {
    const hash = await hashPassword('correct staple battery horse', testArgon2Cost);
    expect(await verifyPassword(hash, 'correct staple battery horse')).toBe(true);
    expect(await verifyPassword(hash, 'correct staple battery hors')).toBe(false);
    expect(await verifyPassword(hash, 'Correct staple battery horse')).toBe(false);
  });

  it('salts: the same password hashes differently twice', async () => {
    const a = await hashPassword('same password twice', testArgon2Cost);
    const b = await hashPassword('same password twice', testArgon2Cost);
    expect(a).not.toBe(b);
  });

  it('treats composed and decomposed accents as the same password (NFKC)', async () => {
    const composed = 'mot de passe d\u00e9j\u00e0 vu';
    const decomposed = 'mot de passe de\u0301ja\u0300 vu';
    const hash = await hashPassword(composed, testArgon2Cost);
    expect(await verifyPassword(hash, decomposed)).toBe(true);
  });

  it('returns false, not a throw, for a malformed hash', async () => {
    expect(await verifyPassword('not-a-hash', 'anything at all')).toBe(false);
  });

  it('the dummy verifier always fails, and checks a production-cost hash', async () => {
    const hash = vi.spyOn(argon2, 'hash');
    const verify = vi.spyOn(argon2, 'verify');
    const verifyNothing = createDummyVerifier();
    expect(await verifyNothing('')).toBe(false);
    expect(await verifyNothing('hotline dummy password, never valid')).toBe(false);
    expect(hash).toHaveBeenCalledTimes(1);
    expect(hash.mock.calls[0]?.[1]).toMatchObject(argon2Cost);
    expect(verify).toHaveBeenCalledTimes(2);
  });
});

describe('passwordProblem', () => {
  it('wants at least 12 characters, counted as characters, not bytes or UTF-16 units', () => {
    expect(passwordProblem('elevenchars')).toBe('error.password.too_short');
    expect(passwordProblem('twelve chars')).toBeUndefined();
    expect(passwordProblem('😀😀😀😀😀😀a')).toBe('error.password.too_short');
  });

  it('refuses more than 256 characters', () => {
    expect(passwordProblem(`${'abcdefgh'.repeat(32)}x`)).toBe('error.password.too_long');
  });

  it('refuses listed common passwords whatever their case', () => {
    expect(passwordProblem('password1234')).toBe('error.password.too_common');
    expect(passwordProblem('QwertyUiop123')).toBe('error.password.too_common');
    expect(passwordProblem('motdepasse123')).toBe('error.password.too_common');
  });

  it('refuses a long run of very few characters', () => {
    expect(passwordProblem('abababababababab')).toBe('error.password.too_common');
    expect(passwordProblem('zzzzzzzzzzzzzzzzzz')).toBe('error.password.too_common');
  });

  it('refuses a password containing the username', () => {
    expect(passwordProblem('my name is Alice, hello', 'alice')).toBe('error.password.contains_username');
    expect(passwordProblem('my name is Alice, hello', 'bob')).toBeUndefined();
  });

  it('has no composition rules', () => {
    expect(passwordProblem('only lower case words here')).toBeUndefined();
  });
});
