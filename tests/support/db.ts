import { type DatabaseHandle, openDatabase } from '../../src/db/client.ts';
import { runMigrations } from '../../src/db/migrate.ts';

/** A fresh in-memory database with the real migrations applied. */
export function createTestDatabase(): DatabaseHandle {
  const handle = openDatabase(':memory:');
  runMigrations(handle.db);
  return handle;
}

// biome-ignore lint/suspicious/noExplicitAny: tests read raw rows loosely, by column name.
export type Row = Record<string, any>;

/** Raw SQL reads for assertions: what is really in the tables, whatever the code thinks. */
export function rows(handle: DatabaseHandle, query: string, ...params: unknown[]): Row[] {
  return handle.sqlite.prepare(query).all(...params) as Row[];
}

export function row(handle: DatabaseHandle, query: string, ...params: unknown[]): Row {
  const found = handle.sqlite.prepare(query).get(...params) as Row | undefined;
  if (!found) throw new Error(`no row for: ${query}`);
  return found;
}

export function countRows(handle: DatabaseHandle, table: string): number {
  return row(handle, `select count(*) as n from ${table}`).n as number;
}
