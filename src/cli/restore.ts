import { auditKey } from '../audit/chain.ts';
import { RestoreRefused, restoreDatabase } from '../backup/restore.ts';
import { loadConfig } from '../config.ts';
import type { DbOrTx } from '../db/client.ts';
import { unopenedSealedValue } from '../key-rotation/reseal.ts';
import { type CliCommand, type CliIo, parseCommandArgs, UsageError } from './command.ts';

const usage = 'usage: hotline restore FILE   (with the server stopped)\n';

/** `hotline restore FILE`: puts a backup in place of HOTLINE_DB; refused while a server runs on it. */
async function restore(args: string[], io: CliIo): Promise<number> {
  const { positionals } = parseCommandArgs(args, {});
  const [file] = positionals;
  if (positionals.length !== 1 || !file) throw new UsageError('one FILE expected');
  const config = loadConfig();
  try {
    const keys = {
      auditKey: auditKey(config),
      unopenedSealedValue: (db: DbOrTx) => unopenedSealedValue(db, config.secretKey),
    };
    const outcome = restoreDatabase(file, config.dbPath, keys, Date.now());
    io.stdout.write(`${JSON.stringify(outcome)}\n`);
    io.stderr.write(
      `restored ${outcome.restored}${outcome.previous ? `; the database it replaced is at ${outcome.previous}` : ''}\n`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof RestoreRefused)) throw error;
    io.stderr.write(`restore refused: ${error.message}\n`);
    return 1;
  }
}

export default {
  summary: 'put a backup in place of the database (refused while a server runs on it)',
  usage,
  run: restore,
} satisfies CliCommand;
