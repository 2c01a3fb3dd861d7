import { createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveKey, open, seal } from '../../src/crypto/seal.ts';

describe('deriveKey', () => {
  const root = randomBytes(32);

  it('is HKDF-SHA-256 with an empty salt and info `hotline:<purpose>` (RFC 5869, computed by hand)', () => {
    const prk = createHmac('sha256', Buffer.alloc(32)).update(root).digest();
    const okm = createHmac('sha256', prk)
      .update(Buffer.concat([Buffer.from('hotline:contact'), Buffer.from([1])]))
      .digest();
    expect(deriveKey(root, 'contact').equals(okm)).toBe(true);
  });

  it('gives 32 bytes, the same for the same purpose and different ones for different purposes or roots', () => {
    expect(deriveKey(root, 'a')).toHaveLength(32);
    expect(deriveKey(root, 'a').equals(deriveKey(root, 'a'))).toBe(true);
    expect(deriveKey(root, 'a').equals(deriveKey(root, 'b'))).toBe(false);
    expect(deriveKey(root, 'a').equals(deriveKey(randomBytes(32), 'a'))).toBe(false);
  });

  it('refuses a short root key or an empty purpose', () => {
    expect(() => deriveKey(randomBytes(16), 'a')).toThrow();
    expect(() => deriveKey(root, '')).toThrow();
  });
});

describe('seal and open', () => {
  const key = deriveKey(randomBytes(32), 'test');
  const here = { table: 'reports', column: 'contact_ciphertext', rowId: 7 };

  it('round-trips any string', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (text) => open(key, seal(key, text, here), here) === text));
  });

  it('uses a fresh IV each time and never contains the plaintext', () => {
    const a = seal(key, 'reporter@example.org', here);
    const b = seal(key, 'reporter@example.org', here);
    expect(a).not.toBe(b);
    expect(Buffer.from(a, 'base64').toString('latin1')).not.toContain('reporter');
    // iv (12) + tag (16) + one byte per ASCII character
    expect(Buffer.from(a, 'base64')).toHaveLength(12 + 16 + 'reporter@example.org'.length);
  });

  it('refuses a value sealed under another key', () => {
    expect(() => open(deriveKey(randomBytes(32), 'test'), seal(key, 'secret', here), here)).toThrow();
  });

  it('refuses a value with any byte altered', () => {
    const sealed = Buffer.from(seal(key, 'secret value', here), 'base64');
    for (let i = 0; i < sealed.length; i++) {
      const altered = Buffer.from(sealed);
      altered[i] = (altered[i] ?? 0) ^ 0x01;
      expect(() => open(key, altered.toString('base64'), here)).toThrow();
    }
  });

  it('opens only in the place it was sealed for: another row, column or table refuses it', () => {
    const sealed = seal(key, 'reporter@example.org', here);
    expect(open(key, sealed, { ...here })).toBe('reporter@example.org');
    for (const elsewhere of [
      { ...here, rowId: 8 },
      { ...here, column: 'description' },
      { ...here, table: 'users' },
      // The parts are delimited: moving a character from one to the next is another place.
      { table: 'reportsc', column: 'ontact_ciphertext', rowId: 7 },
    ]) {
      expect(() => open(key, sealed, elsewhere)).toThrow();
    }
  });

  it('refuses a place without a row id', () => {
    expect(() => seal(key, 'x', { ...here, rowId: Number.NaN })).toThrow(/row id/);
    expect(() => seal(key, 'x', { ...here, table: '' })).toThrow(/table/);
  });

  it('refuses a truncated value', () => {
    expect(() => open(key, Buffer.alloc(20).toString('base64'), here)).toThrow();
  });
});
