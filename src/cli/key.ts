import { ResealFailed } from '../key-rotation/reseal.ts';
import { RotationRefused, rotateSecretKey } from '../key-rotation/rotate-secret-key.ts';
import { type CliCommand, type CliIo, parseCommandArgs, UsageError } from './command.ts';
import { openCliDatabase } from './open-database.ts';

const usage = 'usage: hotline key rotate   (with the server stopped)\n';

/**
 * `hotline key rotate`: a new secret key, every sealed value re-sealed under it, the old key file
 * kept and named. Exit 1 when refused (server running, key not from its file, chain broken),
 * 2 when a sealed value does not open (nothing changed).
 */
async function key(args: string[], io: CliIo): Promise<number> {
  const { positionals } = parseCommandArgs(args, {});
  if (positionals.length !== 1 || positionals[0] !== 'rotate') throw new UsageError('key has one subcommand: rotate');
  const { config, db, close } = openCliDatabase();
  try {
    const outcome = rotateSecretKey(config, db, Date.now());
    io.stdout.write(`${JSON.stringify(outcome)}\n`);
    const { contacts, totpSecrets } = outcome.resealed;
    io.stderr.write(
      `rotated: ${outcome.keyFile} holds the new key; ${contacts} contact addresses and ${totpSecrets} TOTP secrets re-sealed. ` +
        `The old key is kept at ${outcome.oldKeyBackup}: store it with the backups made before now (they open only with it), then remove it from this machine. ` +
        `${outcome.hashKeyCreated ? 'New: ' : ''}${outcome.hashKeyFile} keys the audit chain and receipts; back it up with the secret key.\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof RotationRefused) {
      io.stderr.write(`key rotation refused: ${error.message}\n`);
      return 1;
    }
    if (error instanceof ResealFailed) {
      io.stderr.write(`key rotation failed, nothing changed: ${error.message}\n`);
      return 2;
    }
    throw error;
  } finally {
    close();
  }
}

export default {
  summary: 'replace the secret key, re-sealing what is sealed under it (server stopped)',
  usage,
  run: key,
} satisfies CliCommand;
