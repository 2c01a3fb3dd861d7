import { createHash } from 'node:crypto';
import type { DatabaseHandle } from '../../src/db/client.ts';

/**
 * SHA-256 over every row of every table, in a fixed order: equal digests, unchanged database.
 * `used_form_tokens` is left out: a refused form post uses up its one-time token on purpose (a
 * replay must not get another try), and that record holds nothing the request sent.
 */
export function databaseDigest(handle: DatabaseHandle): string {
  const hash = createHash('sha256');
  const tables = handle.sqlite
    .prepare(
      "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name != 'used_form_tokens' order by name",
    )
    .pluck()
    .all() as string[];
  for (const table of tables) {
    hash.update(`\0table ${table}\0`);
    for (const row of handle.sqlite.prepare(`select * from "${table}" order by rowid`).raw().all()) {
      hash.update(JSON.stringify(row, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
    }
  }
  return hash.digest('hex');
}
