import { describe, expect, it } from 'vitest';
import {
  CatchUpIndex,
  type CatchUpSource,
  catchUpPageSize,
  type IndexedRow,
} from '../../src/matching/catch-up-index.ts';
import { atDistance, randomHex } from '../support/hashes.ts';

/** A table as the index sees it: rows by ascending id, with the queries it was asked. */
class Table {
  rows: IndexedRow[] = [];
  reads: { after: number; through: number }[] = [];
}

const source: CatchUpSource<Table> = {
  latestId: (table) => table.rows.at(-1)?.id ?? 0,
  rowsBetween: (table, after, through, limit) => {
    table.reads.push({ after, through });
    return table.rows.filter((row) => row.id > after && row.id <= through).slice(0, limit);
  },
};

/** The slot tables of one type's multi-index, once built (16 slots of 65,537 offsets). */
const slotTableBytes = 16 * 65_537 * 4;
const ids = (hits: { id: number }[]) => hits.map((hit) => hit.id).sort((a, b) => a - b);

describe('CatchUpIndex', () => {
  it('indexes only the rows added since its last look, by type, in pages', () => {
    const table = new Table();
    const index = new CatchUpIndex(source);
    const pdq = randomHex(32);
    const blockhash = randomHex(32);
    table.rows.push({ id: 3, hashes: { pdq, blockhash: null } }, { id: 8, hashes: { blockhash } });
    index.catchUp(table);
    expect(ids(index.query('pdq', pdq, 0))).toEqual([3]);
    expect(ids(index.query('blockhash', blockhash, 0))).toEqual([8]);
    expect(index.query('blockhash', pdq, 0)).toEqual([]);

    table.reads = [];
    index.catchUp(table);
    expect(table.reads).toEqual([]);

    const near = atDistance(pdq, 5);
    const many = Array.from({ length: catchUpPageSize + 5 }, (_, i) => ({ id: 10 + 2 * i, hashes: { pdq: near } }));
    table.rows.push(...many);
    index.catchUp(table);
    expect(table.reads.map((read) => read.after)).toEqual([8, 8 + 2 * catchUpPageSize]);
    expect(index.query('pdq', pdq, 5)).toHaveLength(many.length + 1);
    expect(index.query('pdq', pdq, 4)).toEqual([{ id: 3, distance: 0 }]);
  });

  it('forgets a removed row', () => {
    const table = new Table();
    const pdq = randomHex(32);
    table.rows.push({ id: 1, hashes: { pdq } }, { id: 2, hashes: { pdq } });
    const index = new CatchUpIndex(source);
    index.catchUp(table);
    index.remove('pdq', 1);
    expect(index.query('pdq', pdq, 0)).toEqual([{ id: 2, distance: 0 }]);
  });

  it('catching up never rebuilds the slot tables (it runs under the write lock); refreshing does', () => {
    const table = new Table();
    table.rows = Array.from({ length: 3_000 }, (_, i) => ({ id: i + 1, hashes: { pdq: randomHex(32) } }));
    const query = table.rows[1_234]?.hashes.pdq ?? '';
    const index = new CatchUpIndex(source);
    index.catchUp(table);
    expect(index.memoryBytes()).toBeLessThan(slotTableBytes);
    const scanned = ids(index.query('pdq', query, 40));
    expect(index.memoryBytes()).toBeLessThan(slotTableBytes);

    index.refresh(table);
    expect(index.memoryBytes()).toBeGreaterThan(slotTableBytes);
    expect(ids(index.query('pdq', query, 40))).toEqual(scanned);
    expect(scanned).toContain(1_235);
  });

  it('recent() indexes the rows past it apart, as the caller sees them, and keeps none', () => {
    const table = new Table();
    const committed = randomHex(32);
    const uncommitted = randomHex(32);
    table.rows.push({ id: 1, hashes: { pdq: committed } });
    const index = new CatchUpIndex(source);
    index.refresh(table);
    // A transaction wrote row 2 and reads through recent(); then it rolls back.
    table.rows.push({ id: 2, hashes: { pdq: uncommitted } });
    const recent = index.recent(table);
    expect(recent.query('pdq', uncommitted, 0)).toEqual([{ id: 2, distance: 0 }]);
    expect(recent.query('pdq', committed, 0)).toEqual([]);
    expect(index.query('pdq', uncommitted, 0)).toEqual([]);
    table.rows.pop();
    // Id 2 is used again for another row: the index reads it as it is now.
    const reused = randomHex(32);
    table.rows.push({ id: 2, hashes: { pdq: reused } });
    index.catchUp(table);
    expect(index.query('pdq', uncommitted, 0)).toEqual([]);
    expect(index.query('pdq', reused, 0)).toEqual([{ id: 2, distance: 0 }]);
  });
});
