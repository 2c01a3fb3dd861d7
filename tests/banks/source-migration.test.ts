import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.ts';
import { runMigrations } from '../../src/db/migrate.ts';
import { rows } from '../support/db.ts';

const migrations = fileURLToPath(new URL('../../src/db/migrations', import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The migrations folder as it was before the one named `tag` (whatever its number). */
function migrationsBefore(tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-migrations-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'meta'));
  const journal = JSON.parse(readFileSync(join(migrations, 'meta', '_journal.json'), 'utf8')) as {
    entries: { tag: string }[];
  };
  const upTo = journal.entries.findIndex((entry) => entry.tag.replace(/^\d+_/, '') === tag);
  expect(upTo).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, upTo);
  for (const { tag: earlier } of journal.entries)
    copyFileSync(join(migrations, `${earlier}.sql`), join(dir, `${earlier}.sql`));
  writeFileSync(join(dir, 'meta', '_journal.json'), JSON.stringify(journal));
  return dir;
}

describe('the bank source migration', () => {
  it('gives banks an import created the source `partner`, as `bank create` does, and leaves the rest', () => {
    const handle = openDatabase(':memory:');
    try {
      migrate(handle.db, { migrationsFolder: migrationsBefore('bank_source_partner') });
      const insert = handle.sqlite.prepare('insert into banks (name, source, created_at) values (?, ?, 0)');
      for (const [name, source] of [
        ['a', 'csv'],
        ['b', 'vics'],
        ['c', 'partner'],
        ['hotline', 'own'],
      ])
        insert.run(name, source);
      runMigrations(handle.db);
      expect(rows(handle, 'select name, source from banks order by name')).toEqual([
        { name: 'a', source: 'partner' },
        { name: 'b', source: 'partner' },
        { name: 'c', source: 'partner' },
        { name: 'hotline', source: 'own' },
      ]);
    } finally {
      handle.close();
    }
  });
});
