import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { purgeExpiredReports } from '../../src/retention/purge.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { row, rows } from '../support/db.ts';
import { databaseDigest } from '../support/db-digest.ts';

const dayMs = 86_400_000;
const retentionDays = 30;

async function report(t: TestApp, url: string, extra: Record<string, string> = {}) {
  const res = await request(t.app)
    .post('/api/v1/reports')
    .send({ urls: [url], category: 'grooming', siteType: 'forum', mediaType: 'text', ...extra })
    .expect(201);
  return res.body.receipt as string;
}

/** Sets every item of the report holding `url` to a triage state, decided at the clock's time. */
/** Triage leaves the item in `state`; review decides it now unless it is still `ready` for an analyst. */
function decide(t: TestApp, url: string, state: string) {
  const item = 'select item_id from report_urls where input = ?';
  t.database.sqlite
    .prepare(`update items set state = ?, fetched_at = ? where id = (${item})`)
    .run(state, t.clock.now(), url);
  if (state === 'ready') return;
  t.database.sqlite
    .prepare(`insert into item_reviews (item_id, decided_at) values ((${item}), ?)`)
    .run(url, t.clock.now());
}

/** What statistics are computed from: it must not move when a purge runs. */
const statistics = (t: TestApp) =>
  rows(
    t.database,
    `select r.category, r.site_type, r.media_type, r.received_at, i.canonical_url, i.state
     from reports r join report_urls ru on ru.report_id = r.id join items i on i.id = ru.item_id order by r.id`,
  );

const purge = (t: TestApp, apply: boolean) =>
  purgeExpiredReports(t.database.db, { ...t.config, retentionDays }, { now: t.clock.now(), apply });

describe('hotline purge (retention)', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('removes description, contact, language, receipt and typed address of reports closed long enough ago', async () => {
    const t = createTestApp();
    const old = await report(t, 'https://gone.example/a', {
      description: 'seen in a chat',
      contact: 'me@example.org',
      lang: 'nl',
    });
    decide(t, 'https://gone.example/a', 'unreachable');
    const open = await report(t, 'https://ready.example/b', { description: 'still under review' });
    decide(t, 'https://ready.example/b', 'ready');
    t.clock.advance((retentionDays - 1) * dayMs);
    const young = await report(t, 'https://recent.example/c', { description: 'closed yesterday' });
    decide(t, 'https://recent.example/c', 'known');
    t.clock.advance(2 * dayMs);

    const before = databaseDigest(t.database);
    const stats = statistics(t);
    const dry = purge(t, false);
    expect(dry).toMatchObject({
      applied: false,
      counts: { reports: 1, descriptions: 1, contacts: 1, receipts: 1, typedAddresses: 1 },
    });
    expect(databaseDigest(t.database)).toBe(before);

    expect(purge(t, true).counts).toEqual(dry.counts);
    const purged = row(t.database, 'select * from reports where description is null and purged_at is not null');
    expect(purged).toMatchObject({ contact_ciphertext: null, lang: null, purged_at: t.clock.now() });
    expect(purged.receipt_hash).toBe(`purged:${purged.id}`);
    expect(row(t.database, 'select input from report_urls where report_id = ?', purged.id).input).toBe('');
    expect(statistics(t)).toEqual(stats);

    // The receipt no longer resolves; the others still do.
    await request(t.app).post('/api/v1/status').send({ receipt: old }).expect(404);
    await request(t.app).post('/api/v1/status').send({ receipt: open }).expect(200);
    await request(t.app).post('/api/v1/status').send({ receipt: young }).expect(200);
    expect(
      rows(t.database, 'select description from reports where purged_at is null').map((r) => r.description),
    ).toEqual(['still under review', 'closed yesterday']);

    const event = row(t.database, "select * from audit_events where action = 'retention.purge'");
    expect(JSON.parse(event.details)).toMatchObject({ reports: 1, contacts: 1 });
    // Run again: nothing left to do, no second event.
    expect(purge(t, true).counts.reports).toBe(0);
    expect(rows(t.database, "select * from audit_events where action = 'retention.purge'")).toHaveLength(1);
  });

  it('waits for the last item of a report with several to be decided', async () => {
    const t = createTestApp();
    await request(t.app)
      .post('/api/v1/reports')
      .send({
        urls: ['https://one.example/x', 'https://two.example/y'],
        category: 'csam',
        siteType: 'website',
        mediaType: 'image',
        description: 'two places',
      })
      .expect(201);
    decide(t, 'https://one.example/x', 'unreachable');
    t.clock.advance((retentionDays + 5) * dayMs);
    expect(purge(t, true).counts.reports).toBe(0);
    decide(t, 'https://two.example/y', 'known');
    t.clock.advance((retentionDays - 1) * dayMs);
    expect(purge(t, true).counts.reports).toBe(0);
    t.clock.advance(2 * dayMs);
    expect(purge(t, true).counts.reports).toBe(1);
  });

  it('leaves nothing of the removed text in the database file or its log (secure_delete, checkpoint)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'hotline-purge-'));
    const dbPath = join(dir, 'hotline.db');
    const t = createTestApp({ env: { HOTLINE_DB: dbPath } });
    const marker = `retention-marker-${randomBytes(8).toString('hex')}`;
    await report(t, 'https://gone.example/a', {
      description: `${marker} ${'x'.repeat(300)}`,
      contact: 'a@example.org',
    });
    decide(t, 'https://gone.example/a', 'unreachable');
    const sealed = String(row(t.database, 'select contact_ciphertext as c from reports').c);
    const receiptHash = String(row(t.database, 'select receipt_hash as h from reports').h);
    const files = () => [dbPath, `${dbPath}-wal`].filter(existsSync).map((f) => readFileSync(f));
    const found = (needle: string) => files().some((bytes) => bytes.includes(Buffer.from(needle)));
    // The scan can see them before the purge: the test would catch them surviving.
    t.database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    for (const needle of [marker, sealed, receiptHash]) expect(found(needle)).toBe(true);

    t.clock.advance((retentionDays + 1) * dayMs);
    expect(purge(t, true).counts.reports).toBe(1);
    for (const needle of [marker, sealed, receiptHash]) expect(found(needle), needle.slice(0, 20)).toBe(false);
    t.database.close();
    for (const needle of [marker, sealed, receiptHash]) expect(found(needle)).toBe(false);
  });
});
