import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.ts';
import { runMigrations } from '../../src/db/migrate.ts';

// Through the real dispatcher (`npm run -s hotline -- purge`), on a database file.
let dir: string;
let dbPath: string;

function hotlinePurge(args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'purge', ...args], {
    env: { ...process.env, HOTLINE_DB: dbPath, HOTLINE_SECRET_KEY: '22'.repeat(32), HOTLINE_RETENTION_DAYS: '30' },
    encoding: 'utf8',
  });
  return { code: result.status, out: result.stdout.trim(), err: result.stderr };
}

const descriptions = () => {
  const handle = openDatabase(dbPath);
  try {
    return handle.sqlite.prepare('select description from reports order by id').pluck().all();
  } finally {
    handle.close();
  }
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hotline-purge-cli-'));
  dbPath = join(dir, 'hotline.db');
  const handle = openDatabase(dbPath);
  runMigrations(handle.db);
  const closedAt = Date.now() - 40 * 86_400_000;
  const insertReport = handle.sqlite.prepare(
    "insert into reports (receipt_hash, category, site_type, media_type, description, received_at) values (?, 'other', 'chat', 'text', ?, ?)",
  );
  const insertItem = handle.sqlite.prepare(
    'insert into items (dedup_key, canonical_url, url, host, state, first_reported_at, last_reported_at, fetched_at) values (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const link = handle.sqlite.prepare(
    'insert into report_urls (report_id, item_id, position, input) values (?, ?, 0, ?)',
  );
  const decided = handle.sqlite.prepare('insert into item_reviews (item_id, decided_at) values (?, ?)');
  for (const [n, state] of [
    [1, 'unreachable'],
    [2, 'ready'],
  ] as const) {
    const url = `https://site${n}.example/`;
    const report = insertReport.run(`hash${n}`, `description ${n}`, closedAt).lastInsertRowid;
    const item = insertItem.run(url, url, url, `site${n}.example`, state, closedAt, closedAt, closedAt).lastInsertRowid;
    link.run(report, item, url);
    // The unreachable one was decided (gone) by review; the other still waits for an analyst.
    if (state === 'unreachable') decided.run(item, closedAt);
  }
  handle.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hotline purge', () => {
  it('is a dry run by default: prints the counts, changes nothing', () => {
    const { code, out, err } = hotlinePurge([]);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ applied: false, counts: { reports: 1, descriptions: 1 } });
    expect(err).toContain('--apply');
    expect(descriptions()).toEqual(['description 1', 'description 2']);
  });

  it('purges with --apply and prints the same counts', () => {
    const { code, out } = hotlinePurge(['--apply']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ applied: true, counts: { reports: 1, descriptions: 1 } });
    expect(descriptions()).toEqual([null, 'description 2']);
  });

  it('refuses an unknown option with exit 1', () => {
    const { code, err } = hotlinePurge(['--force']);
    expect(code).toBe(1);
    expect(err).toContain('usage: hotline purge');
  });
});
