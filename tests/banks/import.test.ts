import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BankNameError } from '../../src/banks/bank-name.ts';
import { createBank, setBankEnabled } from '../../src/banks/commands.ts';
import { csvHeader } from '../../src/banks/formats/csv.ts';
import { importBankFile } from '../../src/banks/import.ts';
import { OWN_BANK_NAME, OWN_BANK_SOURCE, OwnBankImportError } from '../../src/banks/own-bank.ts';
import { listBanks } from '../../src/banks/queries.ts';
import type { DatabaseHandle } from '../../src/db/client.ts';
import { bankEntries } from '../../src/db/schema/banks.ts';
import { TAXONOMY_VERSION } from '../../src/taxonomy/taxonomy.ts';
import { countRows, createTestDatabase, rows } from '../support/db.ts';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const csv = (...lines: string[]) => [csvHeader, ...lines].join('\n');
const vicsFile = (md5: string) => JSON.stringify({ value: [{ MediaID: 1, Category: 1, MD5: md5 }] });

let handle: DatabaseHandle;
beforeEach(() => {
  handle = createTestDatabase();
});
afterEach(() => handle.close());

const importCsv = (bank: string, text: string, now = 1) =>
  importBankFile(handle.db, { bank, format: 'csv', content: text, now });
// Entries are written in (type, value) order, not file order.
const labels = () => rows(handle, 'select value, label, source_ref from bank_entries order by value');
const byValue = <T extends { value: string }>(entries: T[]) => entries.sort((a, b) => a.value.localeCompare(b.value));

describe('importBankFile', () => {
  it('creates the bank and stores the good rows, enabled, in the current taxonomy version', async () => {
    const [pdq, md5] = [hex(32), hex(16)];
    const summary = await importCsv(
      'partner',
      csv(`pdq,${pdq},national/real_abuse,p-1`, `md5,${md5},baseline,`, 'md5,XYZ,baseline,'),
      1_000,
    );
    expect(summary).toEqual({
      bank: 'partner',
      bankCreated: true,
      bankEnabled: true,
      rows: 2,
      inserted: 2,
      relabelled: 0,
      duplicates: 0,
      errors: [{ line: 4, message: expect.any(String) }],
    });
    const stored = handle.db.select().from(bankEntries).orderBy(bankEntries.signalType).all();
    expect(
      stored.map(({ signalType, value, label, sourceRef, addedAt, enabled, taxonomyVersion }) => ({
        signalType,
        value,
        label,
        sourceRef,
        addedAt,
        enabled,
        taxonomyVersion,
      })),
    ).toEqual(
      [
        { signalType: 'md5', value: md5, label: 'baseline', sourceRef: null, addedAt: 1_000, enabled: true },
        {
          signalType: 'pdq',
          value: pdq,
          label: 'national/real_abuse',
          sourceRef: 'p-1',
          addedAt: 1_000,
          enabled: true,
        },
      ].map((entry) => ({ ...entry, taxonomyVersion: TAXONOMY_VERSION })),
    );
    expect(listBanks(handle.db)).toEqual([
      expect.objectContaining({
        name: 'partner',
        source: 'partner',
        enabled: true,
        createdAt: 1_000,
        entries: 2,
        enabledEntries: 2,
      }),
    ]);
  });

  it('is idempotent: the same file twice adds nothing', async () => {
    const text = csv(...Array.from({ length: 1_200 }, () => `sha256,${hex(32)},national,`));
    const first = await importCsv('p', text, 1);
    const second = await importCsv('p', text, 2);
    expect(first).toMatchObject({ rows: 1_200, inserted: 1_200, relabelled: 0, duplicates: 0, bankCreated: true });
    expect(second).toMatchObject({ rows: 1_200, inserted: 0, relabelled: 0, duplicates: 1_200, bankCreated: false });
    expect(countRows(handle, 'bank_entries')).toBe(1_200);
  });

  it('updates the label and source reference a partner changed, and counts them', async () => {
    const [kept, relabelled, moved] = [hex(16), hex(16), hex(16)];
    await importCsv('p', csv(`md5,${kept},national,a`, `md5,${relabelled},not_illegal,b`, `md5,${moved},national,c`));
    const summary = await importCsv(
      'p',
      csv(`md5,${kept},national,a`, `md5,${relabelled},baseline/real_abuse,b`, `md5,${moved},national,d`),
    );
    expect(summary).toMatchObject({ rows: 3, inserted: 0, relabelled: 2, duplicates: 1, errors: [] });
    expect(labels()).toEqual(
      byValue([
        { value: kept, label: 'national', source_ref: 'a' },
        { value: relabelled, label: 'baseline/real_abuse', source_ref: 'b' },
        { value: moved, label: 'national', source_ref: 'd' },
      ]),
    );
  });

  it('keeps the first of two conflicting rows of one file and reports the later one', async () => {
    const md5 = hex(16);
    const summary = await importCsv('a', csv(`md5,${md5},national,`, `md5,${md5},national,`, `md5,${md5},baseline,`));
    expect(summary).toMatchObject({
      rows: 1,
      inserted: 1,
      duplicates: 1,
      errors: [{ line: 4, message: expect.stringMatching(/conflicts with line 2/) }],
    });
    expect(labels()).toEqual([{ value: md5, label: 'national', source_ref: null }]);
  });

  it('keeps the same value in two banks apart', async () => {
    const text = csv(`md5,${hex(16)},national,`);
    expect(await importCsv('a', text)).toMatchObject({ inserted: 1 });
    expect(await importCsv('b', text)).toMatchObject({ inserted: 1 });
    expect(listBanks(handle.db).map((b) => [b.name, b.entries])).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
  });

  it('imports VICS, and a file without one good row changes nothing', async () => {
    const vics = JSON.stringify({
      value: [{ MediaID: 1, Category: 1, MD5: hex(16).toUpperCase(), SHA1: hex(20).toUpperCase() }],
    });
    expect(await importBankFile(handle.db, { bank: 'vic', format: 'vics', content: vics, now: 1 })).toMatchObject({
      inserted: 2,
    });
    const bad = await importCsv('other', 'not,a,bank,file\n');
    expect(bad).toMatchObject({ bankCreated: false, inserted: 0, errors: [{ line: 1 }] });
    expect(listBanks(handle.db).map((b) => b.name)).toEqual(['vic']);
  });

  it('says when the bank is disabled', async () => {
    await importCsv('p', csv(`md5,${hex(16)},national,`));
    handle.db.transaction((tx) => setBankEnabled(tx, 'p', false));
    expect(await importCsv('p', csv(`md5,${hex(16)},national,`))).toMatchObject({ bankEnabled: false, inserted: 1 });
  });
});

describe('the bank of our own assessments', () => {
  it('refuses imports, whether it exists or not', async () => {
    const text = csv(`md5,${hex(16)},national/real_abuse,`);
    await expect(importCsv(OWN_BANK_NAME, text)).rejects.toThrow(OwnBankImportError);
    expect(countRows(handle, 'banks')).toBe(0);
    handle.db.transaction((tx) => createBank(tx, { name: OWN_BANK_NAME }, 1));
    await expect(importCsv(OWN_BANK_NAME, text)).rejects.toThrow(/cannot be imported/);
    expect(countRows(handle, 'bank_entries')).toBe(0);
  });

  it('is the only bank with source own: a bank gets the same source by `create` as by its first import', async () => {
    handle.db.transaction((tx) => createBank(tx, { name: OWN_BANK_NAME }, 1));
    handle.db.transaction((tx) => createBank(tx, { name: 'by-hand' }, 1));
    await importCsv('by-csv', csv(`md5,${hex(16)},national,`));
    await importBankFile(handle.db, { bank: 'by-vics', format: 'vics', content: vicsFile(hex(16)), now: 1 });
    expect(listBanks(handle.db).map((b) => [b.name, b.source])).toEqual([
      ['by-csv', 'partner'],
      ['by-hand', 'partner'],
      ['by-vics', 'partner'],
      [OWN_BANK_NAME, OWN_BANK_SOURCE],
    ]);
  });
});

describe('bank names', () => {
  it('are 1 to 64 lowercase letters, digits, dots, dashes and underscores, starting with a letter or digit', () => {
    const create = (name: string) => handle.db.transaction((tx) => createBank(tx, { name }, 1));
    for (const good of ['ncmec', 'iwf-2026', 'hotline.be', 'a_b', '7', 'x'.repeat(64)]) create(good);
    for (const bad of ['Bad Name!', 'NCMEC', '', ' ncmec', '-x', '.x', 'x'.repeat(65), 'a/b', 'é']) {
      expect(() => create(bad), bad).toThrow(BankNameError);
    }
    expect(countRows(handle, 'banks')).toBe(6);
  });

  it('are checked before an import reads its file, which then changes nothing', async () => {
    await expect(importCsv('Bad Name!', csv(`md5,${hex(16)},national,`))).rejects.toThrow(BankNameError);
    expect(countRows(handle, 'banks')).toBe(0);
    expect(countRows(handle, 'bank_entries')).toBe(0);
  });
});
