import { type Config, loadConfig } from '../config.ts';
import { type Db, openDatabase } from '../db/client.ts';
import { runMigrations } from '../db/migrate.ts';

/** The database a CLI command works on: the configured one, migrations applied. */
export function openCliDatabase(): { config: Config; db: Db; close: () => void } {
  const config = loadConfig();
  const { db, close } = openDatabase(config.dbPath);
  runMigrations(db);
  return { config, db, close };
}
