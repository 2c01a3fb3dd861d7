import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createWorker } from '../../src/jobs/worker.ts';
import { createLogger } from '../../src/logger.ts';
import { purgeJobHandler, purgeJobType, scheduleDailyPurge } from '../../src/retention/purge-job.ts';
import { createClock, createTestApp, type TestApp } from '../support/app.ts';
import { row, rows } from '../support/db.ts';

const dayMs = 86_400_000;

/** A text report of one address, gone when triage fetched it, and decided so by review. */
async function reportGoneAndDecided(t: TestApp, report: { description: string; contact?: string }) {
  await request(t.app)
    .post('/api/v1/reports')
    .send({ urls: ['https://gone.example/a'], category: 'other', siteType: 'chat', mediaType: 'text', ...report })
    .expect(201);
  t.database.sqlite.prepare("update items set state = 'unreachable', fetched_at = ?").run(t.clock.now());
  t.database.sqlite
    .prepare('insert into item_reviews (item_id, decided_at) select id, ? from items')
    .run(t.clock.now());
}

/** A job worker that runs only the purge. */
function purgeWorker(t: TestApp) {
  const { db } = t.database;
  return createWorker({
    db,
    logger: createLogger('silent'),
    now: t.clock.now,
    handlers: { [purgeJobType]: purgeJobHandler({ db, config: t.config, now: t.clock.now }) },
    concurrency: 1,
  });
}

describe('the daily purge job', () => {
  it('runs at 03:00 UTC, purges what has expired, and schedules the next day', async () => {
    const clock = createClock(Date.UTC(2026, 0, 10, 1, 30));
    const t = createTestApp({ clock, env: { HOTLINE_RETENTION_DAYS: '30' } });
    await reportGoneAndDecided(t, { description: 'd' });
    clock.advance(31 * dayMs);

    const { db } = t.database;
    const worker = purgeWorker(t);
    // Twice, as two worker starts on one day would: still one job for the day.
    db.transaction((tx) => scheduleDailyPurge(tx, clock.now()));
    db.transaction((tx) => scheduleDailyPurge(tx, clock.now()));
    expect(rows(t.database, 'select idempotency_key from jobs where type = ?', purgeJobType)).toEqual([
      { idempotency_key: 'retention:purge:2026-02-10' },
    ]);
    expect(await worker.drain()).toBe(0);
    expect(row(t.database, 'select description from reports').description).toBe('d');

    clock.set(Date.UTC(2026, 1, 10, 3, 0));
    expect(await worker.drain()).toBe(1);
    expect(row(t.database, 'select description, purged_at from reports')).toEqual({
      description: null,
      purged_at: clock.now(),
    });
    const next = row(t.database, "select * from jobs where idempotency_key = 'retention:purge:2026-02-11'");
    expect(next).toMatchObject({ status: 'pending', available_at: Date.UTC(2026, 1, 11, 3, 0) });
  });

  it('leaves nothing of the removed text in the database file or its log, as `hotline purge --apply`', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotline-purge-job-'));
    try {
      const dbPath = join(dir, 'hotline.db');
      const clock = createClock(Date.UTC(2026, 0, 10, 1, 30));
      const t = createTestApp({ clock, env: { HOTLINE_DB: dbPath, HOTLINE_RETENTION_DAYS: '30' } });
      const marker = `retention-marker-${randomBytes(8).toString('hex')}`;
      await reportGoneAndDecided(t, { description: `${marker} ${'x'.repeat(300)}`, contact: 'a@example.org' });
      const sealed = String(row(t.database, 'select contact_ciphertext as c from reports').c);
      const files = () => [dbPath, `${dbPath}-wal`].filter(existsSync).map((f) => readFileSync(f));
      const found = (needle: string) => files().some((bytes) => bytes.includes(Buffer.from(needle)));
      // The scan can see them before the purge: the test would catch them surviving.
      t.database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
      for (const needle of [marker, sealed]) expect(found(needle)).toBe(true);

      const { db } = t.database;
      const worker = purgeWorker(t);
      db.transaction((tx) => scheduleDailyPurge(tx, clock.now()));
      clock.set(Date.UTC(2026, 1, 10, 3, 0));
      expect(await worker.drain()).toBe(1);
      expect(row(t.database, 'select description from reports').description).toBeNull();
      for (const needle of [marker, sealed]) expect(found(needle), needle.slice(0, 20)).toBe(false);
      t.database.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
