import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { csvHeader } from '../../src/banks/formats/csv.ts';
import { importBankFile } from '../../src/banks/import.ts';
import type { DatabaseHandle } from '../../src/db/client.ts';
import { Matcher } from '../../src/matching/matcher.ts';
import { PDQ_VARIANTS } from '../../src/signals/pdq/dct.ts';
import { testConfig } from '../support/config.ts';
import { createTestDatabase } from '../support/db.ts';
import { atDistance, randomHex } from '../support/hashes.ts';

const thresholds = testConfig().matching;

let handle: DatabaseHandle;
beforeEach(() => {
  handle = createTestDatabase();
});
afterEach(() => handle.close());

async function addEntries(bank: string, ...lines: string[]): Promise<void> {
  const summary = await importBankFile(handle.db, {
    bank,
    format: 'csv',
    content: [csvHeader, ...lines].join('\n'),
    now: 1,
  });
  expect(summary.errors).toEqual([]);
}

describe('Matcher', () => {
  it('uses the configured thresholds', () => {
    expect(thresholds).toEqual({ thresholds: { pdq: 31, blockhash: 10 }, pdqMinQuality: 50 });
  });

  it('finds exact signals in every bank that holds them', async () => {
    const [sha256, sha1, md5] = [randomHex(32), randomHex(20), randomHex(16)];
    await addEntries('a', `md5,${md5},national,`, `sha256,${sha256},baseline,`);
    await addEntries('b', `md5,${md5},not_illegal,`, `sha1,${sha1},national/real_abuse,`);
    const matcher = new Matcher(handle.db, thresholds);
    const found = matcher.match({ sha256, sha1, md5, blockhash: null, pdq: null });
    expect(
      found.map(({ bank, signalType, value, distance, variant }) => ({ bank, signalType, value, distance, variant })),
    ).toEqual([
      { bank: 'a', signalType: 'md5', value: md5, distance: 0, variant: null },
      { bank: 'a', signalType: 'sha256', value: sha256, distance: 0, variant: null },
      { bank: 'b', signalType: 'md5', value: md5, distance: 0, variant: null },
      { bank: 'b', signalType: 'sha1', value: sha1, distance: 0, variant: null },
    ]);
    expect(matcher.match({ md5: randomHex(16) })).toEqual([]);
  });

  it('matches blockhash up to its threshold, nearest first', async () => {
    const query = randomHex(32);
    const [near, edge, beyond] = [3, thresholds.thresholds.blockhash, thresholds.thresholds.blockhash + 1].map((d) =>
      atDistance(query, d),
    );
    await addEntries(
      'p',
      `blockhash,${edge},national,`,
      `blockhash,${beyond},national,`,
      `blockhash,${near},baseline,`,
    );
    const found = new Matcher(handle.db, thresholds).match({ blockhash: query });
    expect(found.map((m) => [m.value, m.distance, m.label, m.variant])).toEqual([
      [near, 3, 'baseline', null],
      [edge, thresholds.thresholds.blockhash, 'national', null],
    ]);
  });

  it('matches PDQ up to its threshold, unless the query hash is of too low quality', async () => {
    const query = randomHex(32);
    const edge = atDistance(query, thresholds.thresholds.pdq);
    await addEntries('p', `pdq,${edge},national,`, `pdq,${atDistance(query, thresholds.thresholds.pdq + 1)},national,`);
    const matcher = new Matcher(handle.db, thresholds);
    const values = (quality: number | null) =>
      matcher.match({ pdq: query, pdqQuality: quality }).map((m) => [m.value, m.variant]);
    expect(values(null)).toEqual([[edge, 'original']]);
    expect(values(thresholds.pdqMinQuality)).toEqual([[edge, 'original']]);
    expect(values(thresholds.pdqMinQuality - 1)).toEqual([]);
  });

  it('matches any of the eight PDQ variants and says which', async () => {
    const original = randomHex(32);
    const variants = PDQ_VARIANTS.map((_, i) => (i === 0 ? original : randomHex(32)));
    const [, second = '', , , , sixth = ''] = variants;
    const rotated = atDistance(second, 4);
    const mirrored = atDistance(sixth, 0);
    await addEntries('p', `pdq,${rotated},national,`, `pdq,${mirrored},baseline,`);
    const found = new Matcher(handle.db, thresholds).match({ pdq: original, pdqQuality: 90, pdqVariants: variants });
    expect(found.map((m) => [m.value, m.distance, m.variant])).toEqual([
      [mirrored, 0, 'flipY'],
      [rotated, 4, 'rotate90'],
    ]);
  });

  it('reports an entry once, through the nearest variant', async () => {
    const original = randomHex(32);
    const entry = atDistance(original, 6);
    const variants = PDQ_VARIANTS.map((_, i) => (i === 0 ? original : i === 3 ? atDistance(entry, 2) : randomHex(32)));
    await addEntries('p', `pdq,${entry},national,`);
    const found = new Matcher(handle.db, thresholds).match({ pdq: original, pdqVariants: variants });
    expect(found.map((m) => [m.distance, m.variant])).toEqual([[2, 'rotate270']]);
  });

  it('sees entries added after it was built at the next match', async () => {
    const query = randomHex(32);
    const matcher = new Matcher(handle.db, thresholds);
    expect(matcher.match({ pdq: query })).toEqual([]);
    await addEntries('later', `pdq,${atDistance(query, 5)},national,`, `md5,${'a'.repeat(32)},national,`);
    expect(matcher.match({ pdq: query }).map((m) => [m.bank, m.distance])).toEqual([['later', 5]]);
  });

  it('refuses malformed perceptual hashes rather than matching nothing', () => {
    const matcher = new Matcher(handle.db, thresholds);
    expect(() => matcher.match({ pdq: 'ABC' })).toThrow();
    expect(() => matcher.match({ pdq: randomHex(32), pdqVariants: [randomHex(32)] })).toThrow(RangeError);
  });
});
