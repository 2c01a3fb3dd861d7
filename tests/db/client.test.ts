import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.ts';
import { runMigrations } from '../../src/db/migrate.ts';

describe('the database client', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-db-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('opens with WAL, foreign keys, untrusted schema and secure delete, creating the folder', () => {
    const handle = openDatabase(join(dir, 'nested', 'hotline.db'));
    const pragma = (name: string) => handle.sqlite.pragma(name, { simple: true });
    expect(pragma('journal_mode')).toBe('wal');
    expect(pragma('foreign_keys')).toBe(1);
    expect(pragma('trusted_schema')).toBe(0);
    expect(pragma('secure_delete')).toBe(1);
    expect(pragma('synchronous')).toBe(2); // FULL
    handle.sqlite.exec('create table t (x); insert into t values (1)');
    for (const suffix of ['', '-wal'])
      expect(statSync(join(dir, 'nested', `hotline.db${suffix}`)).mode & 0o777).toBe(0o600);
    handle.close();
  });

  it('applies the migrations once, and again is a no-op', () => {
    const handle = openDatabase(join(dir, 'migrated.db'));
    runMigrations(handle.db);
    runMigrations(handle.db);
    const tables = handle.sqlite
      .prepare(
        "select name from sqlite_master where type = 'table' and name not like '\\_\\_%' escape '\\' and name not like 'sqlite%'",
      )
      .all()
      .map((row) => (row as { name: string }).name);
    for (const table of [
      'reports',
      'items',
      'report_urls',
      'jobs',
      'users',
      'sessions',
      'audit_events',
      'banks',
      'bank_entries',
      'item_media',
    ]) {
      expect(tables).toContain(table);
    }
    expect(() =>
      handle.sqlite
        .prepare('insert into report_urls (report_id, item_id, position, input) values (999, 999, 0, ?)')
        .run('x'),
    ).toThrow(/FOREIGN KEY/);
    handle.close();
  });
});
