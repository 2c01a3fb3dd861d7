import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../../src/db/client.ts';
import { bankEntries } from '../../../src/db/schema/banks.ts';
import { csvHeader } from '../../../src/triage/banks/csv.ts';
import { importBankFile } from '../../../src/triage/banks/import.ts';
import { listBanks } from '../../../src/triage/banks/queries.ts';
import { createTestDatabase } from '../../support/db.ts';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const csv = (...lines: string[]) => [csvHeader, ...lines].join('\n');

let handle: DatabaseHandle;
beforeEach(() => {
  handle = createTestDatabase();
});
afterEach(() => handle.close());

describe('importBankFile', () => {
  it('creates the bank and stores the good rows', () => {
    const [pdq, md5] = [hex(32), hex(16)];
    const summary = importBankFile(handle.db, {
      bank: 'partner',
      format: 'csv',
      text: csv(`pdq,${pdq},national/real_abuse,p-1`, `md5,${md5},baseline,`, 'md5,XYZ,baseline,'),
      now: 1_000,
    });
    expect(summary).toEqual({
      bank: 'partner',
      bankCreated: true,
      rows: 2,
      inserted: 2,
      duplicates: 0,
      errors: [{ line: 4, message: expect.any(String) }],
    });
    const stored = handle.db.select().from(bankEntries).all();
    expect(
      stored.map(({ signalType, value, label, sourceRef, addedAt, enabled }) => ({
        signalType,
        value,
        label,
        sourceRef,
        addedAt,
        enabled,
      })),
    ).toEqual([
      { signalType: 'pdq', value: pdq, label: 'national/real_abuse', sourceRef: 'p-1', addedAt: 1_000, enabled: true },
      { signalType: 'md5', value: md5, label: 'baseline', sourceRef: null, addedAt: 1_000, enabled: true },
    ]);
    expect(listBanks(handle.db)).toEqual([
      expect.objectContaining({
        name: 'partner',
        source: 'csv',
        enabled: true,
        createdAt: 1_000,
        entries: 2,
        enabledEntries: 2,
      }),
    ]);
  });

  it('is idempotent: the same file twice adds nothing', () => {
    const text = csv(...Array.from({ length: 1_200 }, () => `sha256,${hex(32)},national,`));
    const first = importBankFile(handle.db, { bank: 'p', format: 'csv', text, now: 1 });
    const second = importBankFile(handle.db, { bank: 'p', format: 'csv', text, now: 2 });
    expect(first).toMatchObject({ rows: 1_200, inserted: 1_200, duplicates: 0, bankCreated: true });
    expect(second).toMatchObject({ rows: 1_200, inserted: 0, duplicates: 1_200, bankCreated: false });
    expect(handle.db.select().from(bankEntries).all()).toHaveLength(1_200);
  });

  it('keeps the same value in two banks apart, and a row repeated in one file once', () => {
    const md5 = hex(16);
    const text = csv(`md5,${md5},national,`, `md5,${md5},baseline,`);
    expect(importBankFile(handle.db, { bank: 'a', format: 'csv', text, now: 1 })).toMatchObject({
      inserted: 1,
      duplicates: 1,
    });
    expect(importBankFile(handle.db, { bank: 'b', format: 'csv', text, now: 1 })).toMatchObject({
      inserted: 1,
      duplicates: 1,
    });
    expect(listBanks(handle.db).map((b) => [b.name, b.entries])).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
  });

  it('imports VICS, and a file without one good row changes nothing', () => {
    const vics = JSON.stringify({
      value: [{ MediaID: 1, Category: 1, MD5: hex(16).toUpperCase(), SHA1: hex(20).toUpperCase() }],
    });
    expect(importBankFile(handle.db, { bank: 'vic', format: 'vics', text: vics, now: 1 })).toMatchObject({
      inserted: 2,
    });
    const bad = importBankFile(handle.db, { bank: 'other', format: 'csv', text: 'not,a,bank,file\n', now: 1 });
    expect(bad).toMatchObject({ bankCreated: false, inserted: 0, errors: [{ line: 1 }] });
    expect(listBanks(handle.db).map((b) => b.name)).toEqual(['vic']);
  });
});
