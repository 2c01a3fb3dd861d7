import { eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type DatabaseHandle, writeTransaction } from '../../src/db/client.ts';
import { insertRow, preparedOnce, updateRowById } from '../../src/db/prepared.ts';
import { items } from '../../src/db/schema/intake.ts';
import { jobs } from '../../src/db/schema/jobs.ts';
import { enqueueJob } from '../../src/jobs/queue.ts';
import { createTestDatabase, rows } from '../support/db.ts';

let handle: DatabaseHandle;
beforeEach(() => {
  handle = createTestDatabase();
});
afterEach(() => handle.close());

describe('preparedOnce', () => {
  it('prepares once per connection and runs inside and outside transactions on current data', () => {
    const build = vi.fn((db: Parameters<Parameters<typeof preparedOnce>[0]>[0]) =>
      db
        .select({ key: jobs.idempotencyKey })
        .from(jobs)
        .where(eq(jobs.type, sql.placeholder('type')))
        .prepare(),
    );
    const byType = preparedOnce(build);
    expect(byType(handle.db).all({ type: 'a' })).toEqual([]);
    writeTransaction(handle.db, (tx) => {
      enqueueJob(tx, { type: 'a', payload: {}, idempotencyKey: 'a:1', now: 0 });
      // Inside the transaction: sees its uncommitted row.
      expect(byType(tx).all({ type: 'a' })).toEqual([{ key: 'a:1' }]);
    });
    expect(byType(handle.db).all({ type: 'a' })).toEqual([{ key: 'a:1' }]);
    expect(byType(handle.db).all({ type: 'b' })).toEqual([]);
    expect(build).toHaveBeenCalledTimes(1);

    // Another connection gets its own statement.
    const other = createTestDatabase();
    try {
      expect(byType(other.db).all({ type: 'a' })).toEqual([]);
      expect(build).toHaveBeenCalledTimes(2);
    } finally {
      other.close();
    }
  });
});

describe('insertRow and updateRowById', () => {
  const item = (n: number) => ({
    url: `https://example.test/${n}`,
    dedupKey: `example.test/${n}`,
    canonicalUrl: `https://example.test/${n}`,
    host: 'example.test',
    firstReportedAt: n,
    lastReportedAt: n,
  });

  it('write through one statement per shape, encoding values as their columns do', () => {
    const prepare = vi.spyOn(handle.sqlite, 'prepare');
    const first = insertRow(handle.db, items, item(1));
    const second = insertRow(handle.db, items, { ...item(2), tlsInvalid: undefined });
    expect(second).toBe(first + 1);
    expect(prepare).toHaveBeenCalledTimes(1);

    // A boolean goes in as SQLite stores it; columns left out keep their defaults.
    expect(updateRowById(handle.db, items, items.id, second, { tlsInvalid: true, stateReason: 'x' })).toBe(1);
    expect(updateRowById(handle.db, items, items.id, 999, { tlsInvalid: true, stateReason: 'y' })).toBe(0);
    expect(prepare).toHaveBeenCalledTimes(2);
    const stored = rows(handle, 'select id, tls_invalid, state, state_reason from items order by id');
    expect(stored).toEqual([
      { id: first, tls_invalid: 0, state: 'new', state_reason: null },
      { id: second, tls_invalid: 1, state: 'new', state_reason: 'x' },
    ]);
    expect(handle.db.select({ tlsInvalid: items.tlsInvalid }).from(items).all()).toEqual([
      { tlsInvalid: false },
      { tlsInvalid: true },
    ]);
  });
});
