import { generateSync } from 'otplib';
import { describe, expect, it } from 'vitest';
import { acceptTotp, newTotpSecret, totpPeriodSeconds, totpUri } from '../../src/auth/totp.ts';

const secret = newTotpSecret();
const t0 = Date.UTC(2026, 10, 29, 12, 0, 0);
const stepMs = totpPeriodSeconds * 1000;
const codeAt = (ms: number) => generateSync({ secret, epoch: Math.floor(ms / 1000) });
const stepOf = (ms: number) => Math.floor(ms / stepMs);

describe('TOTP', () => {
  it('makes 160-bit base32 secrets and an otpauth URI for authenticator apps', () => {
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(secret);
    const uri = new URL(totpUri(secret, 'alice'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('issuer')).toBe('Hotline');
    expect(decodeURIComponent(uri.pathname)).toContain('alice');
  });

  it('accepts the current code and returns its step', () => {
    expect(acceptTotp(secret, codeAt(t0), t0, null)).toBe(stepOf(t0));
  });

  it('accepts one step of drift either way, not two', () => {
    expect(acceptTotp(secret, codeAt(t0 - stepMs), t0, null)).toBe(stepOf(t0) - 1);
    expect(acceptTotp(secret, codeAt(t0 + stepMs), t0, null)).toBe(stepOf(t0) + 1);
    expect(acceptTotp(secret, codeAt(t0 - 2 * stepMs), t0, null)).toBeUndefined();
    expect(acceptTotp(secret, codeAt(t0 + 2 * stepMs), t0, null)).toBeUndefined();
  });

  it('accepts a code once: the used step and older ones are refused', () => {
    const used = acceptTotp(secret, codeAt(t0), t0, null);
    expect(used).toBeDefined();
    expect(acceptTotp(secret, codeAt(t0), t0, used ?? null)).toBeUndefined();
    expect(acceptTotp(secret, codeAt(t0 - stepMs), t0, used ?? null)).toBeUndefined();
    expect(acceptTotp(secret, codeAt(t0 + stepMs), t0 + stepMs, used ?? null)).toBe(stepOf(t0) + 1);
  });

  it('refuses everything when the last used step lies in the future (clock went back)', () => {
    expect(acceptTotp(secret, codeAt(t0), t0, stepOf(t0) + 1000)).toBeUndefined();
  });

  it('refuses codes of another secret and malformed codes without throwing', () => {
    const other = generateSync({ secret: newTotpSecret(), epoch: Math.floor(t0 / 1000) });
    if (other !== codeAt(t0)) expect(acceptTotp(secret, other, t0, null)).toBeUndefined();
    for (const bad of ['', '12345', '1234567', 'abcdef', ' 12345', '１２３４５６']) {
      expect(acceptTotp(secret, bad, t0, null)).toBeUndefined();
    }
  });
});
