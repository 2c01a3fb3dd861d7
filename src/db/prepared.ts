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
