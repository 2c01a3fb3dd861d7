import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';

/** drizzle over one better-sqlite3 connection, which `$client` is. */
export type Db = BetterSQLite3Database & { $client: Database.Database };
/** A transaction handle; functions that write take one as their first argument and never open one. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Either the database or a transaction: for reads that may run inside or outside one. */
export type DbOrTx = Db | Tx;

/**
 * Runs `change` in an IMMEDIATE transaction: the write lock is taken at BEGIN, waiting for another
 * writer (busy_timeout) before anything is read. A deferred transaction that reads and then writes
 * fails at its first write when another connection (the server beside `hotline worker`) holds or
 * took the lock meanwhile (SQLITE_BUSY, SQLITE_BUSY_SNAPSHOT), and no waiting can cure that.
 * Every transaction that writes uses it.
 */
export function writeTransaction<T>(db: Db, change: (tx: Tx) => T): T {
  return db.transaction(change, { behavior: 'immediate' });
}

/** How far a commit is synced: `full` waits for the WAL's fsync, `normal` leaves it to the next sync. */
export type CommitDurability = 'full' | 'normal';

/**
 * Runs `commit` (which begins and commits its own transaction) with this connection's
 * `synchronous` set for `durability`, and puts the connection's own setting back afterwards, also
 * when `commit` throws. better-sqlite3 is synchronous, so no other transaction on this connection
 * can run in between: every other commit keeps the setting openDatabase chose (FULL). SQLite
 * refuses the change inside a transaction, so this must not be called inside one.
 */
export function withCommitDurability<T>(db: Db, durability: CommitDurability, commit: () => T): T {
  if (durability === 'full') return commit();
  // Straight on the connection (drizzle() gives it as `$client`; Db's type leaves it out): through
  // drizzle's raw SQL these three cost about six times as much, once per batch. Never a cached
  // statement: SQLite reads and sets this pragma when it prepares the statement, not when it runs.
  const sqlite = (db as Db & { $client: Database.Database }).$client;
  const before = Number(sqlite.pragma('synchronous', { simple: true }));
  sqlite.exec('PRAGMA synchronous = NORMAL');
  try {
    return commit();
  } finally {
    sqlite.exec(`PRAGMA synchronous = ${before}`);
  }
}

export interface DatabaseHandle {
  sqlite: Database.Database;
  db: Db;
  close(): void;
}

export function openDatabase(path: string): DatabaseHandle {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  // Owner only: the file holds reports and sealed secrets. SQLite gives its WAL files the same mode.
  if (path !== ':memory:') chmodSync(path, 0o600);
  sqlite.pragma('journal_mode = WAL');
  // FULL: a commit is on disk before the receipt is shown. NORMAL in WAL mode can lose the last
  // commits on power loss, and a report must never be acknowledged and then lost. Only triage's job
  // completions, which a lost commit merely sends back to the queue, commit NORMAL (withCommitDurability).
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  // Functions in schema objects (views, triggers) cannot reach application-defined SQL functions.
  sqlite.pragma('trusted_schema = OFF');
  // Deleted content (contact addresses, sessions) is overwritten, not left in free pages.
  sqlite.pragma('secure_delete = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Temporary tables, sorts and savepoint journals in memory: SQLite's temp files (etilqs_*) would
  // hold database pages outside the database file. The worker commits jobs in savepoints.
  sqlite.pragma('temp_store = MEMORY');
  const db = drizzle(sqlite);
  return { sqlite, db, close: () => sqlite.close() };
}
