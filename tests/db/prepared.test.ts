import { eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type DatabaseHandle, writeTransaction } from '../../src/db/client.ts';
import { preparedOnce } from '../../src/db/prepared.ts';
import { jobs } from '../../src/db/schema/jobs.ts';
import { enqueueJob } from '../../src/jobs/queue.ts';
import { createTestDatabase } from '../support/db.ts';

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
