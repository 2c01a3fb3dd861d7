import { parseArgs } from 'node:util';
import { auditKey } from '../audit/chain.ts';
import { RestoreRefused, restoreDatabase } from '../backup/restore.ts';
import { loadConfig } from '../config.ts';
import type { CliIo } from './index.ts';

const usage = 'usage: hotline restore FILE   (with the server stopped)\n';

/** `hotline restore FILE`: puts a backup in place of HOTLINE_DB; refused while a server runs on it. */
export default async function restore(args: string[], io: CliIo): Promise<number> {
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
  try {
    const outcome = restoreDatabase(file, config.dbPath, auditKey(config), Date.now());
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
