import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/client.ts';
import { deriveIntakeKeys, type IntakeDeps, submitReportGrouped } from '../../src/intake/submit-report.ts';
import { BatchedCommits } from '../../src/jobs/batched-commits.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { countRows, createTestDatabase, rows } from '../support/db.ts';

// Reports that arrive together are stored in one transaction; each is acknowledged only once that
// transaction committed, and a report that cannot be stored takes nothing else down with it.

const report = (n: number, description?: string) => ({
  urls: [`https://www.example.com/gallery/${n}`],
  category: 'csam',
  siteType: 'website',
  mediaType: 'image',
  ...(description ? { description } : {}),
});

/** A report with this description fails to be written (its insert aborts). */
const refusedByTrigger = 'refused-by-trigger';
function failOneReport(handle: DatabaseHandle): void {
  handle.sqlite.exec(`create temp trigger refuse_report before insert on main.reports
    when new.description = '${refusedByTrigger}' begin select raise(abort, 'disk says no'); end`);
}

/** Every table a report writes to, counted. */
const footprint = (handle: DatabaseHandle) =>
  Object.fromEntries(['reports', 'items', 'report_urls', 'jobs'].map((t) => [t, countRows(handle, t)]));

describe('submitReportGrouped', () => {
  let handle: DatabaseHandle;
  let deps: IntakeDeps;
  let batchSizes: number[];
  let commits: BatchedCommits;
  beforeEach(() => {
    handle = createTestDatabase();
    deps = { db: handle.db, keys: deriveIntakeKeys(randomBytes(32)), now: Date.now, fetchAllow: [] };
    batchSizes = [];
    commits = new BatchedCommits(handle.db, {
      last: (_tx, size) => {
        batchSizes.push(size);
        return () => {};
      },
    });
  });
  afterEach(() => handle.close());

  it('stores reports that arrive together in one transaction and acknowledges each after it', async () => {
    const submitted = [1, 2, 3, 4].map((n) => submitReportGrouped(deps, commits, report(n)));
    // Nothing is written before the batch commits: no receipt can have been shown yet.
    expect(countRows(handle, 'reports')).toBe(0);
    const receipts = await Promise.all(submitted);
    expect(batchSizes).toEqual([4]);
    expect(footprint(handle)).toEqual({ reports: 4, items: 4, report_urls: 4, jobs: 4 });
    expect(new Set(receipts.map((r) => r.reportId)).size).toBe(4);
    // Each receipt names its own report: the ids follow the order they were asked in.
    const ids = rows(handle, 'select report_id, input from report_urls order by report_id');
    expect(ids.map((r) => r.input)).toEqual([1, 2, 3, 4].map((n) => `https://www.example.com/gallery/${n}`));
    expect(receipts.map((r) => r.reportId)).toEqual(ids.map((r) => r.report_id));
  });

  it('rejects only the report whose write fails; nothing of it is stored, its batch commits', async () => {
    failOneReport(handle);
    const outcomes = await Promise.allSettled([
      submitReportGrouped(deps, commits, report(1)),
      submitReportGrouped(deps, commits, report(2, refusedByTrigger)),
      submitReportGrouped(deps, commits, report(3)),
    ]);
    expect(batchSizes).toEqual([1 + 1 + 1]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toContain('disk says no');
    expect(footprint(handle)).toEqual({ reports: 2, items: 2, report_urls: 2, jobs: 2 });
    expect(rows(handle, 'select input from report_urls').map((r) => r.input)).not.toContain(
      'https://www.example.com/gallery/2',
    );
  });

  it('rejects every report of a batch whose commit fails, and stores none of them', async () => {
    // A deferred foreign key is checked at COMMIT: the reports' savepoints succeed, the commit fails.
    handle.sqlite.exec(`create table commit_guard (ref integer references reports(id) deferrable initially deferred);
      create temp trigger break_commit after insert on main.reports when new.description = 'breaks-commit'
      begin insert into commit_guard (ref) values (-1); end`);
    const outcomes = await Promise.allSettled([
      submitReportGrouped(deps, commits, report(1)),
      submitReportGrouped(deps, commits, report(2, 'breaks-commit')),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect(footprint(handle)).toEqual({ reports: 0, items: 0, report_urls: 0, jobs: 0 });
    // The next report is stored as usual.
    await submitReportGrouped(deps, commits, report(3));
    expect(footprint(handle)).toEqual({ reports: 1, items: 1, report_urls: 1, jobs: 1 });
  });

  it("commits reports with synchronous FULL even between triage's NORMAL batches on the same connection", async () => {
    // What each stored report's transaction ran with, read by SQL inside it.
    handle.sqlite.exec(`create temp table sync_seen (what text, level integer);
      create temp trigger note_report_sync after insert on main.reports
      begin insert into sync_seen select 'report', synchronous from pragma_synchronous; end`);
    const triage = new BatchedCommits(handle.db, { durability: 'normal' });
    const triageChange = () => {
      handle.sqlite.exec("insert into sync_seen select 'triage', synchronous from pragma_synchronous");
    };
    for (let round = 0; round < 3; round += 1) {
      await Promise.all([
        triage.commit(triageChange),
        submitReportGrouped(deps, commits, report(2 * round)),
        triage.commit(triageChange),
        submitReportGrouped(deps, commits, report(2 * round + 1)),
      ]);
    }
    const seen = rows(handle, 'select what, level from sync_seen order by rowid');
    expect(seen.filter((r) => r.what === 'report').map((r) => r.level)).toEqual(Array(6).fill(2));
    expect(seen.filter((r) => r.what === 'triage').map((r) => r.level)).toEqual(Array(6).fill(1));
  });

  it('refuses an invalid report before it joins a batch', async () => {
    await expect(submitReportGrouped(deps, commits, { ...report(1), category: 'nope' })).rejects.toMatchObject({
      fields: { category: expect.any(String) },
    });
    expect(batchSizes).toEqual([]);
  });
});

describe('POST /api/v1/reports under concurrent load', () => {
  let t: TestApp;
  let server: Server;
  let base: string;
  beforeEach(async () => {
    t = createTestApp({ env: { HOTLINE_REPORT_LIMIT: '1000', HOTLINE_STATUS_LIMIT: '1000' } });
    server = t.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    t.database.close();
  });

  const post = (path: string, body: unknown) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('answers each report by its own outcome, and every receipt given resolves', async () => {
    failOneReport(t.database);
    const sent = Array.from({ length: 30 }, (_, n) => report(n, n === 7 ? refusedByTrigger : undefined));
    const answers = await Promise.all(sent.map((body) => post('/api/v1/reports', body)));
    expect(answers.map((a) => a.status)).toEqual(sent.map((_, n) => (n === 7 ? 500 : 201)));
    const failed = (await answers[7]?.json()) as { error: string };
    expect(failed.error).toBeTruthy();
    expect(JSON.stringify(failed)).not.toContain('disk says no');
    expect(footprint(t.database)).toEqual({ reports: 29, items: 29, report_urls: 29, jobs: 29 });

    const receipts = await Promise.all(
      answers.filter((a) => a.status === 201).map(async (a) => (await a.json()).receipt),
    );
    const checks = await Promise.all(receipts.map((receipt) => post('/api/v1/status', { receipt })));
    expect(checks.map((c) => c.status)).toEqual(receipts.map(() => 200));
  });
});
