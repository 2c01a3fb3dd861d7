import { eq, sql } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { DbOrTx } from './client.ts';

/**
 * A query built and prepared once per connection, then run many times with `sql.placeholder`
 * values: on the hot paths of the worker, building a drizzle query and preparing its SQL cost more
 * than running it. A transaction shares its database's session (one better-sqlite3 connection),
 * so a query prepared through either runs inside or outside transactions alike.
 */
export function preparedOnce<Query>(build: (db: DbOrTx) => Query): (db: DbOrTx) => Query {
  const bySession = new WeakMap<object, Query>();
  return (db) => {
    // drizzle marks `session` internal; it is the one object a database and its transactions share.
    const session = (db as unknown as { session: object }).session;
    let query = bySession.get(session);
    if (query === undefined) {
      query = build(db);
      bySession.set(session, query);
    }
    return query;
  };
}

/** What a prepared write answers when run. */
interface RunnableWrite {
  run(values: Record<string, unknown>): { lastInsertRowid: number | bigint; changes: number };
}

/**
 * One placeholder per key, named after it, as insert values or update sets. drizzle binds each to
 * its column, so a value is encoded as that column encodes literal values (booleans, JSON). Typed
 * `never` because the keys are only known at run time (and drizzle's update types do not list
 * placeholders among the values a column accepts).
 */
function placeholders(keys: readonly string[]): never {
  return Object.fromEntries(keys.map((key) => [key, sql.placeholder(key)])) as never;
}

const writesByTable = new WeakMap<SQLiteTable, Map<string, (db: DbOrTx) => RunnableWrite>>();

/** A write on `table` of one `shape` (its kind and columns), prepared once per connection. */
function preparedWrite(db: DbOrTx, table: SQLiteTable, shape: string, build: (db: DbOrTx) => RunnableWrite) {
  let byShape = writesByTable.get(table);
  if (!byShape) {
    byShape = new Map();
    writesByTable.set(table, byShape);
  }
  let prepared = byShape.get(shape);
  if (!prepared) {
    prepared = preparedOnce(build);
    byShape.set(shape, prepared);
  }
  return prepared(db);
}

/** Keys whose value is not undefined: drizzle leaves undefined columns to their defaults. */
const definedKeys = (row: object) =>
  Object.entries(row)
    .filter(([, value]) => value !== undefined)
    .map(([key]) => key);

/**
 * Inserts `row` through a statement prepared once per connection and shape (the columns it
 * gives): for hot paths that insert rows of a few fixed shapes. Returns the new row's rowid.
 */
export function insertRow<Table extends SQLiteTable>(db: DbOrTx, table: Table, row: Table['$inferInsert']): number {
  const keys = definedKeys(row);
  const insert = preparedWrite(db, table, `insert ${keys}`, (session) =>
    session.insert(table).values(placeholders(keys)).prepare(),
  );
  return Number(insert.run(row as Record<string, unknown>).lastInsertRowid);
}

/** The id's placeholder: no column key of the schema (they are camelCase words). */
const idPlaceholder = '$id';

/**
 * Sets `set` on the row whose `idColumn` is `id`, through a statement prepared once per
 * connection and shape; returns how many rows changed.
 */
export function updateRowById<Table extends SQLiteTable>(
  db: DbOrTx,
  table: Table,
  idColumn: SQLiteColumn,
  id: number,
  set: Partial<Table['$inferInsert']>,
): number {
  const keys = definedKeys(set);
  const update = preparedWrite(db, table, `update ${idColumn.name} ${keys}`, (session) =>
    session
      .update(table)
      .set(placeholders(keys))
      .where(eq(idColumn, sql.placeholder(idPlaceholder)))
      .prepare(),
  );
  return update.run({ ...set, [idPlaceholder]: id }).changes;
}
