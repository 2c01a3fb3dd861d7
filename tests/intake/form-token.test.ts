import { describe, expect, it } from 'vitest';
import { createFormTokens } from '../../src/intake/form-token.ts';

describe('form tokens', () => {
  const key = Buffer.alloc(32, 7);

  it('are accepted once, within their lifetime, only with the right key', () => {
    let now = 1_000_000;
    const tokens = createFormTokens(key, () => now, 60_000);
    const token = tokens.issue();
    expect(tokens.redeem(token)).toBe(true);
    expect(tokens.redeem(token)).toBe(false);
    const late = tokens.issue();
    now += 60_000;
    expect(tokens.redeem(late)).toBe(false);
    const other = createFormTokens(Buffer.alloc(32, 8), () => now, 60_000).issue();
    expect(tokens.redeem(other)).toBe(false);
  });

  it('refuse anything tampered or malformed', () => {
    const tokens = createFormTokens(key, () => 5_000_000);
    const [issued, nonce, signature] = tokens.issue().split('.');
    const later = (Number.parseInt(issued ?? '', 36) + 10_000_000).toString(36);
    for (const bad of [
      `${later}.${nonce}.${signature}`,
      `${issued}.${nonce}x.${signature}`,
      `${issued}.${nonce}`,
      '',
      42,
      null,
      'a'.repeat(500),
    ]) {
      expect(tokens.redeem(bad)).toBe(false);
    }
  });
});
