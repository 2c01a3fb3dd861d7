import { describe, expect, it } from 'vitest';
import { generateReceipt, hashReceipt, normaliseReceipt } from '../../src/intake/receipt.ts';

describe('receipts', () => {
  it('are six groups of four Crockford symbols, all different', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const receipt = generateReceipt();
      expect(receipt).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){5}$/);
      seen.add(receipt);
    }
    expect(seen.size).toBe(2000);
  });

  it('use every symbol about equally often (no bias in the random draw)', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 4000; i++)
      for (const c of generateReceipt().replaceAll('-', '')) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(32);
    const expected = (4000 * 24) / 32;
    for (const n of counts.values()) expect(Math.abs(n - expected) / expected).toBeLessThan(0.15);
  });

  it('survive the ways people retype them, and refuse what cannot be one', () => {
    const receipt = generateReceipt();
    const compact = receipt.replaceAll('-', '');
    expect(normaliseReceipt(receipt)).toBe(compact);
    expect(normaliseReceipt(` ${receipt.toLowerCase().replaceAll('-', ' ')} `)).toBe(compact);
    expect(normaliseReceipt('0o1iL0-'.repeat(4))).toBe('001110'.repeat(4));
    expect(normaliseReceipt(compact.slice(1))).toBeUndefined();
    expect(normaliseReceipt(`${compact.slice(1)}U`)).toBeUndefined();
    expect(normaliseReceipt('')).toBeUndefined();
  });

  it('are stored as a keyed hash that depends on the key', () => {
    const a = Buffer.alloc(32, 1);
    const b = Buffer.alloc(32, 2);
    const receipt = normaliseReceipt(generateReceipt()) ?? '';
    expect(hashReceipt(a, receipt)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashReceipt(a, receipt)).toBe(hashReceipt(a, receipt));
    expect(hashReceipt(a, receipt)).not.toBe(hashReceipt(b, receipt));
  });
});
