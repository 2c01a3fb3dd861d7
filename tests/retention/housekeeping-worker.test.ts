import { describe, expect, it } from 'vitest';
import { anchorJobType } from '../../src/anchoring/anchor-job.ts';
import { loadSigningKey } from '../../src/key-files.ts';
import { createLogger } from '../../src/logger.ts';
import { createHousekeepingWorker } from '../../src/retention/housekeeping-worker.ts';
import { purgeJobType } from '../../src/retention/purge-job.ts';
import { createClock } from '../support/app.ts';
import { testConfig } from '../support/config.ts';
import { createTestDatabase, rows } from '../support/db.ts';

describe('the housekeeping worker of npm start', () => {
  it('schedules the day’s purge when it starts, and leaves triage jobs to the triage worker', async () => {
    const handle = createTestDatabase();
    const clock = createClock(Date.UTC(2026, 5, 1, 12, 0));
    handle.sqlite
      .prepare(
        "insert into jobs (type, payload, available_at, idempotency_key, created_at, updated_at) values ('triage', '{}', ?, 'triage:item:1', ?, ?)",
      )
      .run(clock.now(), clock.now(), clock.now());
    const worker = createHousekeepingWorker({
      config: testConfig(),
      db: handle.db,
      logger: createLogger('silent'),
      now: clock.now,
      signingKey: loadSigningKey(':memory:'),
    });
    try {
      // Past 03:00: today's purge and anchor are due at once and run; the next day's are scheduled.
      expect(await worker.drain()).toBe(2);
    } finally {
      await worker.stop(0);
    }
    expect(rows(handle, 'select type, status, idempotency_key from jobs order by id')).toEqual([
      { type: 'triage', status: 'pending', idempotency_key: 'triage:item:1' },
      { type: purgeJobType, status: 'done', idempotency_key: 'retention:purge:2026-06-01' },
      { type: anchorJobType, status: 'done', idempotency_key: 'audit:anchor:2026-06-01' },
      { type: purgeJobType, status: 'pending', idempotency_key: 'retention:purge:2026-06-02' },
      { type: anchorJobType, status: 'pending', idempotency_key: 'audit:anchor:2026-06-02' },
    ]);
  });
});
