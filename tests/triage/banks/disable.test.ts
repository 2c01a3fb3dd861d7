import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../../../src/db/client.ts';
import { runMigrations } from '../../../src/db/migrate.ts';
import { disableBank, disableBankEntry } from '../../../src/triage/banks/commands.ts';
import { csvHeader } from '../../../src/triage/banks/csv.ts';
import { importBankFile } from '../../../src/triage/banks/import.ts';
import { listBanks } from '../../../src/triage/banks/queries.ts';
import { Matcher } from '../../../src/triage/matcher.ts';
import { testConfig } from '../../support/config.ts';
import { atDistance, randomHex } from '../../support/hashes.ts';

// Two handles on one database file: the matcher in one (the server), the change made through the
// other (an operator's CLI), as in production.
let dir: string;
let server: DatabaseHandle;
let operator: DatabaseHandle;
const pdq = randomHex(32);
const md5 = randomHex(16);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hotline-banks-'));
  server = openDatabase(join(dir, 'hotline.db'));
  runMigrations(server.db);
  operator = openDatabase(join(dir, 'hotline.db'));
  for (const bank of ['a', 'b']) {
    const text = [csvHeader, `pdq,${atDistance(pdq, 3)},national,`, `md5,${md5},national,`].join('\n');
    importBankFile(operator.db, { bank, format: 'csv', text, now: 1 });
  }
});
afterEach(() => {
  server.close();
  operator.close();
  rmSync(dir, { recursive: true, force: true });
});

const banksMatched = (matcher: Matcher, signals: { pdq?: string; md5?: string }) =>
  matcher.match(signals).map((m) => m.bank);

describe('disabling', () => {
  it('a bank stops its matches at once', () => {
    const matcher = new Matcher(server.db, testConfig().matching);
    expect(banksMatched(matcher, { pdq })).toEqual(['a', 'b']);
    expect(operator.db.transaction((tx) => disableBank(tx, 'a'))).toBe(true);
    expect(banksMatched(matcher, { pdq })).toEqual(['b']);
    expect(banksMatched(matcher, { md5 })).toEqual(['b']);
    expect(listBanks(operator.db).map((b) => [b.name, b.enabled])).toEqual([
      ['a', false],
      ['b', true],
    ]);
    // A matcher built afterwards does not load the disabled bank at all.
    expect(banksMatched(new Matcher(server.db, testConfig().matching), { pdq })).toEqual(['b']);
  });

  it('an entry stops its match at once, and only its own', () => {
    const matcher = new Matcher(server.db, testConfig().matching);
    const [first, second] = matcher.match({ pdq, md5 }).filter((m) => m.bank === 'a');
    expect([first?.signalType, second?.signalType].sort()).toEqual(['md5', 'pdq']);
    for (const entry of [first!, second!])
      expect(operator.db.transaction((tx) => disableBankEntry(tx, entry.entryId))).toBe(true);
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
    expect(operator.db.transaction((tx) => disableBank(tx, 'nope'))).toBe(false);
    expect(operator.db.transaction((tx) => disableBankEntry(tx, 999))).toBe(false);
  });
});
