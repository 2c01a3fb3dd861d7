import { describe, expect, it } from 'vitest';
import { queueDueRechecks, recheckJobKey } from '../../src/forwarding/recheck.ts';
import { recheckIntervalMs, returnWatchMs } from '../../src/forwarding/recheck-verdict.ts';
import { reportUrl } from '../review/fixtures.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { row, rows } from '../support/db.ts';

const dayMs = 86_400_000;

/** An item with one forward to the police in `state` (removed `removedAgoMs` ago); returns the item id. */
function forwardedItem(t: TestApp, n: number, state: string, removedAgoMs?: number): number {
  const url = `https://sweep${n}.example/`;
  reportUrl(t, url);
  const itemId = row(t.database, 'select id from items where url = ?', url).id as number;
  const now = t.clock.now();
  const assessment = t.database.sqlite
    .prepare(
      `insert into assessments (item_id, source, outcome, status, created_at, decided_at)
       values (?, 'analyst', 'national', 'confirmed', ?, ?)`,
    )
    .run(itemId, now, now).lastInsertRowid;
  const police = row(t.database, "select id from destinations where key = 'police'").id;
  t.database.sqlite
    .prepare(
      `insert into forwards (item_id, assessment_id, destination_id, state, reasons, created_at, updated_at, removed_at)
       values (?, ?, ?, ?, '[]', ?, ?, ?)`,
    )
    .run(itemId, assessment, police, state, now, now, removedAgoMs === undefined ? null : now - removedAgoMs);
  return itemId;
}

const sweep = (t: TestApp) => t.database.db.transaction((tx) => queueDueRechecks(tx, t.clock.now(), () => 0.5));
const plannedItems = (t: TestApp) =>
  rows(t.database, 'select item_id as itemId from item_rechecks order by item_id').map((r) => r.itemId);
const recheckJobs = (t: TestApp) =>
  rows(t.database, "select idempotency_key as k, status from jobs where type = 'forwarding.recheck' order by id");

describe('the re-check sweep', () => {
  it('follows sent, acknowledged and still-online forwards, and removed ones for the return watch only', () => {
    const t = createTestApp();
    const followed = [
      forwardedItem(t, 1, 'sent'),
      forwardedItem(t, 2, 'acknowledged'),
      forwardedItem(t, 3, 'still_online'),
      forwardedItem(t, 4, 'removed', dayMs),
    ];
    // Not sent yet, failed to send, removed long ago: nothing to follow.
    forwardedItem(t, 5, 'pending');
    forwardedItem(t, 6, 'failed');
    forwardedItem(t, 7, 'removed', returnWatchMs + dayMs);

    expect(sweep(t)).toBe(0);
    expect(plannedItems(t)).toEqual(followed);
    expect(recheckJobs(t)).toEqual([]);

    // Not due before a day has passed; then once per item, however often the sweep runs.
    t.clock.advance(recheckIntervalMs - 1);
    expect(sweep(t)).toBe(0);
    t.clock.advance(1);
    expect(sweep(t)).toBe(followed.length);
    expect(sweep(t)).toBe(0);
    expect(recheckJobs(t).map((j) => j.k)).toEqual(followed.map(recheckJobKey));
  });

  it('puts a finished re-check back in the queue when it is due again', () => {
    const t = createTestApp();
    const itemId = forwardedItem(t, 1, 'sent');
    sweep(t);
    t.clock.advance(recheckIntervalMs);
    expect(sweep(t)).toBe(1);
    t.database.sqlite.prepare("update jobs set status = 'done' where type = 'forwarding.recheck'").run();
    expect(sweep(t)).toBe(1);
    expect(recheckJobs(t)).toEqual([{ k: recheckJobKey(itemId), status: 'pending' }]);
  });
});
