import { describe, expect, it } from 'vitest';
import { createFormTokens, receiptReplayMs } from '../../src/intake/form-token.ts';
import { countRows, createTestDatabase, rows } from '../support/db.ts';

describe('form tokens', () => {
  const key = Buffer.alloc(32, 7);

  it('are accepted once, within their lifetime, only with the right key', () => {
    let now = 1_000_000;
    const tokens = createFormTokens(createTestDatabase().db, key, () => now, 60_000);
    const token = tokens.issue();
    expect(tokens.redeem(token).fresh).toBe(true);
    expect(tokens.redeem(token).fresh).toBe(false);
    const late = tokens.issue();
    now += 60_000;
    expect(tokens.redeem(late).fresh).toBe(false);
    const other = createFormTokens(createTestDatabase().db, Buffer.alloc(32, 8), () => now, 60_000).issue();
    expect(tokens.redeem(other).fresh).toBe(false);
  });

  it('stay used after a restart: the used set is in the database, as keyed hashes only', () => {
    const database = createTestDatabase();
    const now = () => 2_000_000;
    const token = createFormTokens(database.db, key, now).issue();
    expect(createFormTokens(database.db, key, now).redeem(token).fresh).toBe(true);
    const restarted = createFormTokens(database.db, key, now);
    expect(restarted.redeem(token).fresh).toBe(false);
    const [stored] = rows(database, 'select * from used_form_tokens');
    const [, nonce = ''] = token.split('.');
    expect(stored?.nonce_hash).not.toContain(nonce);
    expect(stored?.expires_at).toBe(2_000_000 + 2 * 3_600_000);
  });

  it('are forgotten once expired, and only then', () => {
    const database = createTestDatabase();
    let now = 3_000_000;
    const tokens = createFormTokens(database.db, key, () => now, 60_000);
    expect(tokens.redeem(tokens.issue()).fresh).toBe(true);
    now += 30_000;
    expect(tokens.redeem(tokens.issue()).fresh).toBe(true);
    expect(countRows(database, 'used_form_tokens')).toBe(2);
    now += 35_000; // the first has expired, the second not yet
    expect(tokens.redeem(tokens.issue()).fresh).toBe(true);
    expect(rows(database, 'select expires_at from used_form_tokens order by expires_at')).toEqual([
      { expires_at: 3_090_000 },
      { expires_at: 3_125_000 },
    ]);
  });

  it('show the receipt kept with a used token again for ten minutes, only to that token, sealed at rest', () => {
    const database = createTestDatabase();
    let now = 4_000_000;
    const tokens = createFormTokens(database.db, key, () => now);
    const token = tokens.issue();
    const first = tokens.redeem(token);
    if (!first.fresh) throw new Error('expected a fresh token');
    first.keepReceipt('ABCD-EFGH-JKMN-PQRS-TVWX-YZ01');
    expect(tokens.redeem(token)).toEqual({ fresh: false, receipt: 'ABCD-EFGH-JKMN-PQRS-TVWX-YZ01' });
    // After a restart too: nothing of it is in memory.
    expect(createFormTokens(database.db, key, () => now).redeem(token)).toEqual({
      fresh: false,
      receipt: 'ABCD-EFGH-JKMN-PQRS-TVWX-YZ01',
    });
    const stored = JSON.stringify(rows(database, 'select * from used_form_tokens'));
    expect(stored).not.toMatch(/ABCD|EFGH|YZ01/);
    // Another form's token, used or not, never shows it.
    const other = tokens.issue();
    expect(tokens.redeem(other)).toMatchObject({ fresh: true });
    expect(tokens.redeem(other)).toEqual({ fresh: false, receipt: undefined });
    now += receiptReplayMs;
    expect(tokens.redeem(token)).toEqual({ fresh: false, receipt: undefined });
    expect(
      rows(database, 'select receipt_sealed, receipt_until from used_form_tokens where receipt_until is not null'),
    ).toEqual([]);
  });

  it('refuse anything tampered or malformed', () => {
    const tokens = createFormTokens(createTestDatabase().db, key, () => 5_000_000);
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
      expect(tokens.redeem(bad).fresh).toBe(false);
    }
  });
});
