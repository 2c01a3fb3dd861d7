import { describe, expect, it } from 'vitest';
import { writeTransaction } from '../../src/db/client.ts';
import { Conflict } from '../../src/errors.ts';
import { createFormTokens, type FormTokens, type FreshToken, receiptReplayMs } from '../../src/intake/form-token.ts';
import { countRows, createTestDatabase, rows } from '../support/db.ts';

const receipt = 'ABCD-EFGH-JKMN-PQRS-TVWX-YZ01';

function freshOf(tokens: FormTokens, token: unknown): FreshToken {
  const reading = tokens.read(token);
  if (reading.state !== 'fresh') throw new Error(`expected a fresh token, got ${reading.state}`);
  return reading.fresh;
}

describe('form tokens', () => {
  const key = Buffer.alloc(32, 7);

  it('are fresh until used, within their lifetime, only with the right key; reading changes nothing', () => {
    const database = createTestDatabase();
    let now = 1_000_000;
    const tokens = createFormTokens(database.db, key, () => now, 60_000);
    const token = tokens.issue();
    expect(tokens.read(token).state).toBe('fresh');
    expect(tokens.read(token).state).toBe('fresh');
    expect(countRows(database, 'used_form_tokens')).toBe(0);
    tokens.spend(freshOf(tokens, token));
    expect(tokens.read(token)).toEqual({ state: 'spent' });
    const late = tokens.issue();
    now += 60_000;
    expect(tokens.read(late)).toEqual({ state: 'invalid' });
    const other = createFormTokens(createTestDatabase().db, Buffer.alloc(32, 8), () => now, 60_000).issue();
    expect(tokens.read(other)).toEqual({ state: 'invalid' });
  });

  it('stay used after a restart: the used set is in the database, as keyed hashes only', () => {
    const database = createTestDatabase();
    const now = () => 2_000_000;
    const tokens = createFormTokens(database.db, key, now);
    const token = tokens.issue();
    writeTransaction(database.db, (tx) => tokens.redeem(tx, freshOf(tokens, token), receipt));
    const restarted = createFormTokens(database.db, key, now);
    expect(restarted.read(token)).toEqual({ state: 'replay', receipt });
    const [stored] = rows(database, 'select * from used_form_tokens');
    const [, nonce = ''] = token.split('.');
    expect(stored?.nonce_hash).not.toContain(nonce);
    expect(stored?.expires_at).toBe(2_000_000 + 2 * 3_600_000);
  });

  it('are used once by a report: a second redeem of the token throws and its transaction rolls back', () => {
    const database = createTestDatabase();
    const tokens = createFormTokens(database.db, key, () => 2_500_000);
    const fresh = freshOf(tokens, tokens.issue());
    writeTransaction(database.db, (tx) => tokens.redeem(tx, fresh, receipt));
    expect(() => writeTransaction(database.db, (tx) => tokens.redeem(tx, fresh, 'OTHER'))).toThrow(Conflict);
    expect(tokens.read(fresh.token)).toEqual({ state: 'replay', receipt });
    expect(countRows(database, 'used_form_tokens')).toBe(1);
  });

  it('are forgotten once expired, and only then', () => {
    const database = createTestDatabase();
    let now = 3_000_000;
    const tokens = createFormTokens(database.db, key, () => now, 60_000);
    tokens.spend(freshOf(tokens, tokens.issue()));
    now += 30_000;
    tokens.spend(freshOf(tokens, tokens.issue()));
    expect(countRows(database, 'used_form_tokens')).toBe(2);
    now += 35_000; // the first has expired, the second not yet
    tokens.spend(freshOf(tokens, tokens.issue()));
    expect(rows(database, 'select expires_at from used_form_tokens order by expires_at')).toEqual([
      { expires_at: 3_090_000 },
      { expires_at: 3_125_000 },
    ]);
  });

  it('show the receipt of a used token again for ten minutes, only to that token, sealed at rest', () => {
    const database = createTestDatabase();
    let now = 4_000_000;
    const tokens = createFormTokens(database.db, key, () => now);
    const token = tokens.issue();
    writeTransaction(database.db, (tx) => tokens.redeem(tx, freshOf(tokens, token), receipt));
    expect(tokens.read(token)).toEqual({ state: 'replay', receipt });
    // After a restart too: nothing of it is in memory.
    expect(createFormTokens(database.db, key, () => now).read(token)).toEqual({ state: 'replay', receipt });
    const stored = JSON.stringify(rows(database, 'select * from used_form_tokens'));
    expect(stored).not.toMatch(/ABCD|EFGH|YZ01/);
    // Another form's token, used or not, never shows it.
    const other = tokens.issue();
    expect(tokens.read(other).state).toBe('fresh');
    tokens.spend(freshOf(tokens, other));
    expect(tokens.read(other)).toEqual({ state: 'spent' });
    // Past the ten minutes it is never opened, even before any sweep has erased it; the report is
    // still known to be received.
    now += receiptReplayMs;
    expect(tokens.read(token)).toEqual({ state: 'received' });
    expect(rows(database, 'select count(*) as n from used_form_tokens where receipt_sealed is not null')).toEqual([
      { n: 1 },
    ]);
    // The next sweep (a later post, a minute after the last) erases it; the token still says received.
    now += 60_000;
    tokens.spend(freshOf(tokens, tokens.issue()));
    expect(rows(database, 'select count(*) as n from used_form_tokens where receipt_sealed is not null')).toEqual([
      { n: 0 },
    ]);
    expect(tokens.read(token)).toEqual({ state: 'received' });
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
      expect(tokens.read(bad)).toEqual({ state: 'invalid' });
    }
  });
});
