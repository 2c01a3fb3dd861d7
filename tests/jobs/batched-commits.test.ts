import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DatabaseHandle, Tx } from '../../src/db/client.ts';
import { BatchedCommits } from '../../src/jobs/batched-commits.ts';
import { createTestDatabase, rows } from '../support/db.ts';

let handle: DatabaseHandle;
beforeEach(() => {
  handle = createTestDatabase();
  handle.sqlite.exec('create table effects (n integer not null)');
});
afterEach(() => {
  vi.useRealTimers();
  handle.close();
});

const insert = (n: number) => (_tx: Tx) => {
  handle.sqlite.prepare('insert into effects (n) values (?)').run(n);
};
const stored = () => rows(handle, 'select n from effects order by rowid').map((r) => r.n);

/** Counts the batches (write transactions) by their size. */
function countingBatches() {
  const sizes: number[] = [];
  const last = (_tx: Tx, size: number) => {
    sizes.push(size);
    return () => {};
  };
  return { sizes, last };
}

describe('BatchedCommits', () => {
  it('commits the changes asked for in one turn together, in one transaction ending with `last`', async () => {
    const batches: number[] = [];
    let ranAfterCommit = 0;
    const commits = new BatchedCommits(handle.db, {
      last: (_tx, size) => {
        batches.push(size);
        // Still inside the transaction: nothing is committed yet.
        expect(handle.sqlite.inTransaction).toBe(true);
        return () => {
          ranAfterCommit += 1;
          expect(handle.sqlite.inTransaction).toBe(false);
        };
      },
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

  it('runs the changes and settles their outcomes in the order they were asked for', async () => {
    const commits = new BatchedCommits(handle.db, { windowMs: 5 });
    const settled: number[] = [];
    const asked = [5, 3, 9, 1, 7].map((n) => commits.commit(insert(n)).then(() => settled.push(n)));
    await Promise.all(asked);
    expect(stored()).toEqual([5, 3, 9, 1, 7]);
    expect(settled).toEqual([5, 3, 9, 1, 7]);
  });

  it('rolls back only the change that throws; the rest of its batch commits', async () => {
    const commits = new BatchedCommits(handle.db);
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
    const commits = new BatchedCommits(handle.db, {
      last: () => {
        throw failure;
      },
    });
    const outcomes = await Promise.all([commits.commit(insert(1)), commits.commit(insert(2))]);
    expect(outcomes).toEqual([
      { ok: false, error: failure },
      { ok: false, error: failure },
    ]);
    expect(stored()).toEqual([]);
  });

  it('stores nothing of a batch whose COMMIT fails, and tells every change', async () => {
    // A deferred foreign key is checked at COMMIT only: each savepoint succeeds, the commit fails.
    handle.sqlite.exec(`create table parents (id integer primary key);
      create table children (parent integer references parents(id) deferrable initially deferred)`);
    const commits = new BatchedCommits(handle.db);
    const outcomes = await Promise.all([
      commits.commit(insert(1)),
      commits.commit(() => {
        handle.sqlite.prepare('insert into children (parent) values (42)').run();
      }),
      commits.commit(insert(3)),
    ]);
    expect(outcomes.map((o) => o.ok)).toEqual([false, false, false]);
    expect(String((outcomes[0] as { error: unknown }).error)).toMatch(/FOREIGN KEY/);
    expect(stored()).toEqual([]);
    expect(rows(handle, 'select * from children')).toEqual([]);
    expect(handle.sqlite.inTransaction).toBe(false);
    // The next batch is unaffected.
    expect(await commits.commit(insert(4))).toEqual({ ok: true });
    expect(stored()).toEqual([4]);
  });

  it('with a window, gathers changes asked for in different turns into one batch', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate'] });
    const batches = countingBatches();
    const commits = new BatchedCommits(handle.db, { windowMs: 20, last: batches.last });
    const first = commits.commit(insert(1));
    await vi.advanceTimersByTimeAsync(15);
    const second = commits.commit(insert(2));
    expect(batches.sizes).toEqual([]);
    await vi.advanceTimersByTimeAsync(5);
    await Promise.all([first, second]);
    expect(batches.sizes).toEqual([2]);
    expect(stored()).toEqual([1, 2]);
  });

  it('commits a lone change once its window has passed, without waiting for others', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate'] });
    const commits = new BatchedCommits(handle.db, { windowMs: 10 });
    let outcome: unknown;
    void commits.commit(insert(1)).then((o) => {
      outcome = o;
    });
    await vi.advanceTimersByTimeAsync(9);
    expect(stored()).toEqual([]);
    expect(outcome).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(stored()).toEqual([1]);
    expect(outcome).toEqual({ ok: true });
    // Idle: nothing is scheduled any more.
    expect(vi.getTimerCount()).toBe(0);
  });

  it('commits a full batch at once and starts the next one with the change after it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate'] });
    const batches = countingBatches();
    const commits = new BatchedCommits(handle.db, { windowMs: 1_000, maxBatch: 3, last: batches.last });
    const asked = [1, 2, 3, 4].map((n) => commits.commit(insert(n)));
    // The first three committed without any time passing; the fourth waits for its window.
    expect(batches.sizes).toEqual([3]);
    expect(stored()).toEqual([1, 2, 3]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(batches.sizes).toEqual([3, 1]);
    expect(await Promise.all(asked)).toEqual([{ ok: true }, { ok: true }, { ok: true }, { ok: true }]);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('BatchedCommits durability', () => {
  const FULL = 2;
  const NORMAL = 1;
  const synchronous = () => handle.sqlite.pragma('synchronous', { simple: true });

  /** A change that notes the `synchronous` its transaction commits with. */
  const noting = (seen: number[], n: number) => (tx: Tx) => {
    seen.push(synchronous() as number);
    insert(n)(tx);
  };

  it('commits a `normal` batch with synchronous NORMAL and every other batch on the connection with FULL', async () => {
    const triage = new BatchedCommits(handle.db, { durability: 'normal' });
    const intake = new BatchedCommits(handle.db, { maxBatch: 2 });
    const seenByTriage: number[] = [];
    const seenByIntake: number[] = [];
    // Interleaved, in the same turns and across turns: the two kinds of batch alternate.
    for (let round = 0; round < 3; round += 1) {
      await Promise.all([
        triage.commit(noting(seenByTriage, 10 * round + 1)),
        intake.commit(noting(seenByIntake, 10 * round + 2)),
        triage.commit(noting(seenByTriage, 10 * round + 3)),
        intake.commit(noting(seenByIntake, 10 * round + 4)),
        intake.commit(noting(seenByIntake, 10 * round + 5)),
      ]);
    }
    expect(seenByTriage).toEqual(Array(6).fill(NORMAL));
    expect(seenByIntake).toEqual(Array(9).fill(FULL));
    expect(stored()).toHaveLength(15);
    expect(synchronous()).toBe(FULL);
  });

  it('puts synchronous back after a `normal` batch whose transaction or COMMIT fails', async () => {
    const failure = new Error('claim failed');
    const failingLast = new BatchedCommits(handle.db, {
      durability: 'normal',
      last: () => {
        throw failure;
      },
    });
    expect(await failingLast.commit(insert(1))).toEqual({ ok: false, error: failure });
    expect(synchronous()).toBe(FULL);

    handle.sqlite.exec(`create table parents (id integer primary key);
      create table children (parent integer references parents(id) deferrable initially deferred)`);
    const failingCommit = new BatchedCommits(handle.db, { durability: 'normal' });
    const outcome = await failingCommit.commit(() => {
      handle.sqlite.prepare('insert into children (parent) values (42)').run();
    });
    expect(String((outcome as { error: unknown }).error)).toMatch(/FOREIGN KEY/);
    expect(synchronous()).toBe(FULL);
    expect(stored()).toEqual([]);

    // The intake batch after them commits FULL.
    const seen: number[] = [];
    expect(await new BatchedCommits(handle.db).commit(noting(seen, 2))).toEqual({ ok: true });
    expect(seen).toEqual([FULL]);
  });

  it('puts back whatever the connection had, not a fixed value', async () => {
    handle.sqlite.pragma('synchronous = EXTRA');
    const seen: number[] = [];
    await new BatchedCommits(handle.db, { durability: 'normal' }).commit(noting(seen, 1));
    expect(seen).toEqual([NORMAL]);
    expect(synchronous()).toBe(3);
  });
});
