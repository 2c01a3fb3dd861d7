import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/client.ts';
import { runMigrations } from '../db/migrate.ts';
import { type CliCommand, type CliIo, parseCommandArgs, UsageError } from './command.ts';

type Sqlite = ReturnType<typeof openDatabase>['sqlite'];

/** How many migrations drizzle has recorded as applied (none before the first run). */
function appliedCount(sqlite: Sqlite): number {
  const table = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'");
  if (table.get() === undefined) return 0;
  return (sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n;
}

/**
 * `hotline migrate`: applies the committed migrations to the configured database and prints
 * `{"database","applied","total"}`. `npm start` and every command do this too; this is for an
 * operator who upgrades before starting, or checks that nothing is pending.
 */
async function migrate(args: string[], io: CliIo): Promise<number> {
  const { positionals } = parseCommandArgs(args, {});
  if (positionals.length > 0) throw new UsageError('migrate takes no arguments');
  const config = loadConfig();
  const { sqlite, db, close } = openDatabase(config.dbPath);
  try {
    const before = appliedCount(sqlite);
    runMigrations(db);
    const total = appliedCount(sqlite);
    io.stdout.write(`${JSON.stringify({ database: config.dbPath, applied: total - before, total })}\n`);
    return 0;
  } finally {
    close();
  }
}

export default {
  summary: 'apply the database migrations now (start and every command also do)',
  usage: 'usage: hotline migrate\n',
  run: migrate,
} satisfies CliCommand;
