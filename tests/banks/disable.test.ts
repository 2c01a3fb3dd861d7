import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setBankEnabled, setBankEntryEnabled } from '../../src/banks/commands.ts';
import { csvHeader } from '../../src/banks/formats/csv.ts';
import { importBankFile } from '../../src/banks/import.ts';
import { listBanks } from '../../src/banks/queries.ts';
import { type DatabaseHandle, openDatabase } from '../../src/db/client.ts';
import { runMigrations } from '../../src/db/migrate.ts';
import { Matcher } from '../../src/matching/matcher.ts';
import { testConfig } from '../support/config.ts';
import { atDistance, randomHex } from '../support/hashes.ts';

// Two handles on one database file: the matcher in one (the server), the change made through the
// other (an operator's CLI), as in production.
let dir: string;
let server: DatabaseHandle;
let operator: DatabaseHandle;
const pdq = randomHex(32);
const md5 = randomHex(16);

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hotline-banks-'));
  server = openDatabase(join(dir, 'hotline.db'));
  runMigrations(server.db);
  operator = openDatabase(join(dir, 'hotline.db'));
  for (const bank of ['a', 'b']) {
    const text = [csvHeader, `pdq,${atDistance(pdq, 3)},national,`, `md5,${md5},national,`].join('\n');
    await importBankFile(operator.db, { bank, format: 'csv', content: text, now: 1 });
  }
});
afterEach(() => {
  server.close();
  operator.close();
  rmSync(dir, { recursive: true, force: true });
});

const newMatcher = () => new Matcher(server.db, testConfig().matching);
const banksMatched = (matcher: Matcher, signals: { pdq?: string; md5?: string }) =>
  matcher.match(signals).map((m) => m.bank);
const setBank = (name: string, enabled: boolean) => operator.db.transaction((tx) => setBankEnabled(tx, name, enabled));
const setEntry = (id: number, enabled: boolean) =>
  operator.db.transaction((tx) => setBankEntryEnabled(tx, id, enabled));

describe('disabling', () => {
  it('a bank stops its matches at once', () => {
    const matcher = newMatcher();
    expect(banksMatched(matcher, { pdq })).toEqual(['a', 'b']);
    expect(setBank('a', false)).toBe(true);
    expect(banksMatched(matcher, { pdq })).toEqual(['b']);
    expect(banksMatched(matcher, { md5 })).toEqual(['b']);
    expect(listBanks(operator.db).map((b) => [b.name, b.enabled])).toEqual([
      ['a', false],
      ['b', true],
    ]);
    expect(banksMatched(newMatcher(), { pdq })).toEqual(['b']);
  });

  it('an entry stops its match at once, and only its own', () => {
    const matcher = newMatcher();
    const [first, second] = matcher.match({ pdq, md5 }).filter((m) => m.bank === 'a');
    expect([first?.signalType, second?.signalType].sort()).toEqual(['md5', 'pdq']);
    for (const entry of [first, second]) expect(setEntry(entry?.entryId ?? 0, false)).toBe(true);
    expect(matcher.match({ pdq, md5 }).map((m) => [m.bank, m.signalType])).toEqual([
      ['b', 'md5'],
      ['b', 'pdq'],
    ]);
    expect(listBanks(operator.db).map((b) => [b.name, b.entries, b.enabledEntries])).toEqual([
      ['a', 2, 0],
      ['b', 2, 2],
    ]);
  });

  it('something that does not exist reports false', () => {
    expect(setBank('nope', false)).toBe(false);
    expect(setEntry(999, false)).toBe(false);
  });
});

describe('enabling again', () => {
  it('brings back an entry the running matcher found disabled', () => {
    const matcher = newMatcher();
    const entryId = matcher.match({ pdq }).find((m) => m.bank === 'a')?.entryId ?? 0;
    setEntry(entryId, false);
    expect(banksMatched(matcher, { pdq })).toEqual(['b']);
    expect(setEntry(entryId, true)).toBe(true);
    expect(banksMatched(matcher, { pdq })).toEqual(['a', 'b']);
  });

  it('brings back a bank and an entry that were disabled when the matcher was built', () => {
    const entryId =
      newMatcher()
        .match({ pdq })
        .find((m) => m.bank === 'b')?.entryId ?? 0;
    setBank('a', false);
    setEntry(entryId, false);
    const matcher = newMatcher();
    expect(banksMatched(matcher, { pdq })).toEqual([]);
    setBank('a', true);
    setEntry(entryId, true);
    expect(banksMatched(matcher, { pdq })).toEqual(['a', 'b']);
    expect(banksMatched(matcher, { md5 })).toEqual(['a', 'b']);
  });
});
