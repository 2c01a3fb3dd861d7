import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBank } from '../../src/banks/commands.ts';
import { csvHeader, parseBankCsv } from '../../src/banks/formats/csv.ts';
import { importBankFile, importBatchSize } from '../../src/banks/import.ts';
import { ImportSupersededError, stageBatch, startImport } from '../../src/banks/import-steps.ts';
import { type DatabaseHandle, openDatabase } from '../../src/db/client.ts';
import { runMigrations } from '../../src/db/migrate.ts';
import { Matcher } from '../../src/matching/matcher.ts';
import { testConfig } from '../support/config.ts';
import { rows as query, row } from '../support/db.ts';
import { randomHex } from '../support/hashes.ts';

// Two handles on one database file: the import in one (the operator's CLI), the other writing
// meanwhile as intake and the worker do, with no patience at all for a held lock.
let dir: string;
let importer: DatabaseHandle;
let other: DatabaseHandle;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hotline-import-'));
  importer = openDatabase(join(dir, 'hotline.db'));
  runMigrations(importer.db);
  other = openDatabase(join(dir, 'hotline.db'));
  other.sqlite.pragma('busy_timeout = 0');
});
afterEach(() => {
  importer.close();
  other.close();
  rmSync(dir, { recursive: true, force: true });
});

const total = importBatchSize * 2 + 10;
/** `total` rows, the first a PDQ hash (a running matcher indexes it while it is still disabled). */
const bigList = (pdq = randomHex(32)) =>
  [
    csvHeader,
    `pdq,${pdq},national,`,
    ...Array.from({ length: total - 1 }, () => `sha256,${randomHex(32)},national,`),
  ].join('\n');
const entriesOf = (handle: DatabaseHandle, bank: string) =>
  row(
    handle,
    `select count(*) as entries, coalesce(sum(e.enabled), 0) as enabled
     from bank_entries e join banks b on b.id = e.bank_id where b.name = ?`,
    bank,
  );

/** Runs `tick` on every turn of the event loop until `work` settles. */
async function alongside<T>(work: Promise<T>, tick: () => Promise<void> | void): Promise<T> {
  let settled = false;
  const ticking = (async () => {
    while (!settled) {
      await tick();
      await nextTurn();
    }
  })();
  try {
    return await work;
  } finally {
    settled = true;
    await ticking;
  }
}

describe('a large import', () => {
  it('lets another connection write between its batches, and enables its entries only at the end', async () => {
    const seen: { entries: number; enabled: number }[] = [];
    let writes = 0;
    const matcher = new Matcher(other.db, testConfig().matching);
    const pdq = randomHex(32);
    const summary = await alongside(
      importBankFile(importer.db, { bank: 'p', format: 'csv', content: bigList(pdq), now: 1 }),
      () => {
        other.db.transaction((tx) => createBank(tx, { name: `w${writes}` }, 1), {
          behavior: 'immediate',
        });
        writes++;
        seen.push(entriesOf(other, 'p') as { entries: number; enabled: number });
        expect(matcher.match({ pdq })).toHaveLength((seen.at(-1)?.enabled ?? 0) > 0 ? 1 : 0);
      },
    );
    expect(summary).toMatchObject({ rows: total, inserted: total });
    const midway = seen.filter(({ entries }) => entries > 0 && entries < total);
    expect(midway.length).toBeGreaterThan(0);
    expect(midway.every(({ enabled }) => enabled === 0)).toBe(true);
    expect(entriesOf(other, 'p')).toEqual({ entries: total, enabled: total });
    expect(matcher.match({ pdq })).toHaveLength(1);
  });

  it('fails whole when a later import into the same bank starts meanwhile, keeping nothing of it', async () => {
    const later = [csvHeader, `md5,${randomHex(16)},national,`].join('\n');
    let laterImport: Promise<unknown> | null = null;
    const first = alongside(
      importBankFile(importer.db, { bank: 'p', format: 'csv', content: bigList(), now: 1 }),
      () => {
        if (!laterImport && entriesOf(other, 'p').entries > 0) {
          laterImport = importBankFile(other.db, { bank: 'p', format: 'csv', content: later, now: 2 });
        }
      },
    );
    await expect(first).rejects.toThrow(ImportSupersededError);
    await expect(laterImport).resolves.toMatchObject({ inserted: 1 });
    expect(entriesOf(other, 'p')).toEqual({ entries: 1, enabled: 1 });
    expect(query(other, 'select status from bank_imports order by id')).toEqual([
      { status: 'failed' },
      { status: 'done' },
    ]);
  });

  it('leaves what a crashed import staged disabled, and the next import of the bank replaces it', async () => {
    const text = [csvHeader, `md5,${randomHex(16)},national,`, `md5,${randomHex(16)},baseline,`].join('\n');
    const { rows } = await parseBankCsv(text);
    importer.db.transaction((tx) => {
      const bankId = createBank(tx, { name: 'p' }, 1);
      stageBatch(tx, { importId: startImport(tx, bankId, 'csv', 1), bankId, now: 1 }, rows);
    });
    expect(entriesOf(other, 'p')).toEqual({ entries: 2, enabled: 0 });
    const summary = await importBankFile(other.db, { bank: 'p', format: 'csv', content: text, now: 2 });
    expect(summary).toMatchObject({ inserted: 2, duplicates: 0 });
    expect(entriesOf(other, 'p')).toEqual({ entries: 2, enabled: 2 });
  });
});
