import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle, Tx } from '../../src/db/client.ts';
import { BatchedCommits } from '../../src/jobs/batched-commits.ts';
import { createTestDatabase, rows } from '../support/db.ts';

let handle: DatabaseHandle;
beforeEach(() => {
  handle = createTestDatabase();
  handle.sqlite.exec('create table effects (n integer not null)');
});
afterEach(() => handle.close());

const insert = (n: number) => (_tx: Tx) => {
  handle.sqlite.prepare('insert into effects (n) values (?)').run(n);
};
const stored = () => rows(handle, 'select n from effects order by n').map((r) => r.n);

describe('BatchedCommits', () => {
  it('commits the changes asked for in one turn together, in one transaction ending with `last`', async () => {
    const batches: number[] = [];
    let ranAfterCommit = 0;
    const commits = new BatchedCommits(handle.db, (_tx, size) => {
      batches.push(size);
      // Still inside the transaction: nothing is committed yet.
      expect(handle.sqlite.inTransaction).toBe(true);
      return () => {
        ranAfterCommit += 1;
        expect(handle.sqlite.inTransaction).toBe(false);
      };
    });
    const outcomes = await Promise.all([
      commits.commit(insert(1)),
      commits.commit(insert(2)),
      commits.commit(insert(3)),
    ]);
    expect(outcomes).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    await commits.commit(insert(4));
    expect(batches).toEqual([3, 1]);
    expect(ranAfterCommit).toBe(2);
    expect(stored()).toEqual([1, 2, 3, 4]);
  });

  it('rolls back only the change that throws; the rest of its batch commits', async () => {
    const commits = new BatchedCommits(handle.db, () => () => {});
    const failure = new Error('write failed');
    const outcomes = await Promise.all([
      commits.commit(insert(1)),
      commits.commit((tx) => {
        insert(2)(tx);
        throw failure;
      }),
      commits.commit(insert(3)),
    ]);
    expect(outcomes).toEqual([{ ok: true }, { ok: false, error: failure }, { ok: true }]);
    expect(stored()).toEqual([1, 3]);
  });

  it('reports every change of the batch as failed when the transaction itself fails', async () => {
    const failure = new Error('claim failed');
    const commits = new BatchedCommits(handle.db, () => {
      throw failure;
    });
    const outcomes = await Promise.all([commits.commit(insert(1)), commits.commit(insert(2))]);
    expect(outcomes).toEqual([
      { ok: false, error: failure },
      { ok: false, error: failure },
    ]);
    expect(stored()).toEqual([]);
  });
});
