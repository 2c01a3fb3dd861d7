import { parseArgs } from 'node:util';
import { backupDatabase } from '../backup/backup.ts';
import { loadConfig, secretKeyPath } from '../config.ts';
import { openDatabase } from '../db/client.ts';
import type { CliIo } from './index.ts';

const usage = 'usage: hotline backup FILE\n';

/**
 * `hotline backup FILE`: a consistent copy of the live database (the server may keep running),
 * checked, and the key file it needs named: a backup without its key cannot be read.
 */
export default async function backup(args: string[], io: CliIo): Promise<number> {
  let file: string;
  try {
    const { positionals } = parseArgs({ args, allowPositionals: true, options: {}, strict: true });
    if (positionals.length !== 1 || !positionals[0]) throw new Error('one FILE expected');
    file = positionals[0];
  } catch (error) {
    io.stderr.write(`${usage}${(error as Error).message}\n`);
    return 1;
  }
  const config = loadConfig();
  const { sqlite, close } = openDatabase(config.dbPath);
  try {
    const outcome = await backupDatabase(sqlite, file);
    const key = process.env.HOTLINE_SECRET_KEY ? 'HOTLINE_SECRET_KEY (environment)' : secretKeyPath(config.dbPath);
    io.stdout.write(`${JSON.stringify({ ...outcome, database: config.dbPath, secretKey: key })}\n`);
    if (outcome.integrity !== 'ok') {
      io.stderr.write(`the copy failed its integrity check: ${outcome.integrity}\n`);
      return 2;
    }
    io.stderr.write(
      `backed up to ${outcome.file}. Keep the secret key (${key}) too, stored apart from the backup: without it receipts, contact addresses, TOTP secrets and the audit chain cannot be read or checked\n`,
    );
    return 0;
  } finally {
    close();
  }
}
