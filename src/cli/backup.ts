import { existsSync } from 'node:fs';
import { backupDatabase } from '../backup/backup.ts';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/client.ts';
import { hashKeyPath, secretKeyPath, signingKeyPath } from '../key-files.ts';
import { type CliCommand, type CliIo, parseCommandArgs, UsageError } from './command.ts';

const usage = 'usage: hotline backup FILE\n';

/**
 * `hotline backup FILE`: a consistent copy of the live database (the server may keep running),
 * checked, and the key file it needs named: a backup without its key cannot be read.
 */
async function backup(args: string[], io: CliIo): Promise<number> {
  const { positionals } = parseCommandArgs(args, {});
  const [file] = positionals;
  if (positionals.length !== 1 || !file) throw new UsageError('one FILE expected');
  const config = loadConfig();
  const { sqlite, close } = openDatabase(config.dbPath);
  try {
    const outcome = await backupDatabase(sqlite, file);
    // A key given in the environment leaves no file beside the database.
    const keyFile = secretKeyPath(config.dbPath);
    const key = existsSync(keyFile) ? keyFile : 'HOTLINE_SECRET_KEY (environment)';
    const exportKey = signingKeyPath(config.dbPath);
    const signingKey = existsSync(exportKey) ? exportKey : null;
    // Written by the first `hotline key rotate`: the chain and receipt hashes are keyed by it from then on.
    const hashKey = existsSync(hashKeyPath(config.dbPath)) ? hashKeyPath(config.dbPath) : null;
    io.stdout.write(
      `${JSON.stringify({ ...outcome, database: config.dbPath, secretKey: key, hashKey, signingKey })}\n`,
    );
    if (outcome.integrity !== 'ok') {
      io.stderr.write(`the copy failed its integrity check: ${outcome.integrity}\n`);
      return 2;
    }
    io.stderr.write(
      `backed up to ${outcome.file}. Keep the secret key (${key})${hashKey ? `, the hash key (${hashKey})` : ''}${signingKey ? ` and the export signing key (${signingKey})` : ''} too, stored apart from the backup: without it receipts, contact addresses, TOTP secrets and the audit chain cannot be read or checked\n`,
    );
    return 0;
  } finally {
    close();
  }
}

export default {
  summary: 'a consistent copy of the live database, and the key files it needs',
  usage,
  run: backup,
} satisfies CliCommand;
