import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { backupDatabase } from '../../src/backup/backup.ts';

const dir = mkdtempSync(join(tmpdir(), 'hotline-backup-steps-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('backupDatabase under writes from another connection', () => {
  it('finishes while every turn of the event loop writes (a copy in small steps restarts for ever)', async () => {
    const dbPath = join(dir, 'live.db');
    const source = new Database(dbPath);
    source.pragma('journal_mode = WAL');
    source.exec('create table t (id integer primary key, v text)');
    const insert = source.prepare('insert into t (v) values (?)');
    // Far more than one step of 100 pages.
    source.transaction(() => {
      for (let i = 0; i < 4_000; i++) insert.run('x'.repeat(1_000));
    })();
    const writer = new Database(dbPath);
    const write = writer.prepare('insert into t (v) values (?)');
    let writes = 0;
    let writing = true;
    const writeEveryTurn = () => {
      if (!writing) return;
      write.run(`write ${writes++}`);
      // A copy that restarts at each write never ends: give up after enough of them.
      if (writes < 20_000) setImmediate(writeEveryTurn);
    };
    setImmediate(writeEveryTurn);
    try {
      const outcome = await backupDatabase(source, join(dir, 'copy.db'));
      writing = false;
      expect(writes).toBeLessThan(20_000);
      expect(outcome.integrity).toBe('ok');
      const copy = new Database(outcome.file, { readonly: true });
      const rows = copy.prepare('select count(*) as n from t').get() as { n: number };
      copy.close();
      expect(rows.n).toBeGreaterThanOrEqual(4_000);
    } finally {
      writing = false;
      writer.close();
      source.close();
    }
  });
});
