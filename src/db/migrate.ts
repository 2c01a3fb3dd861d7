import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { seedDestinations } from '../forwarding/directory.ts';
import type { Db } from './client.ts';

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

/** Applies the committed drizzle-kit migrations and adds missing seed rows; a no-op when the database is current. */
export function runMigrations(db: Db): void {
  migrate(db, { migrationsFolder });
  seedDestinations(db, Date.now());
}
