import { createPublicKey } from 'node:crypto';
import { createWriteStream, existsSync, openSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { z } from 'zod';
import { loadConfig } from '../config.ts';
import { verifyPackage } from '../forwarding/export/verify-package.ts';
import {
  exportFormatSchema,
  exportSinceSchema,
  exportTargetSchema,
  writeExport,
} from '../forwarding/export/write-export.ts';
import { parseOrFail } from '../http/validation.ts';
import { loadSigningKey } from '../key-files.ts';
import { type CliCommand, type CliIo, parseCommandArgs, UsageError } from './command.ts';
import { openCliDatabase } from './open-database.ts';

const usage = `usage: hotline export --to police|interpol|partner:CC --since DATE [--format json|csv|vics] [--out FILE]
       --format  the data files to include: json (report.json), csv (items.csv), vics
                 (hashes.vics.json), or a comma-separated list; all three by default.
                 The manifest and its signature are always included.
       hotline export verify FILE [--pubkey PEM_FILE]
       hotline export pubkey
`;

const exportArgsSchema = z.strictObject({
  to: exportTargetSchema,
  since: exportSinceSchema,
  format: exportFormatSchema.optional(),
});

/**
 * `hotline export`: writes the signed package of the forwards to one receiver (default file
 * `hotline-export-<to>-<day>.zip`; an existing file is never overwritten) and prints its SHA-256;
 * `export verify` checks a package against our public key or a given one; `export pubkey` prints
 * the public key (PEM) receivers pin.
 */
async function exportCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    to: { type: 'string' },
    since: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    pubkey: { type: 'string' },
  });
  const [sub, ...operands] = positionals;
  if (sub === 'pubkey' && operands.length === 0) return printPublicKey(io);
  if (sub === 'verify' && operands.length === 1 && operands[0]) return verify(operands[0], values.pubkey, io);
  if (sub !== undefined) throw new UsageError('export takes --to and --since, or the subcommand verify FILE or pubkey');
  if (values.to === undefined || values.since === undefined) throw new UsageError('export needs --to and --since');
  const request = parseOrFail(exportArgsSchema, { to: values.to, since: values.since, format: values.format });

  const { config, db, close } = openCliDatabase();
  const out =
    values.out ?? `hotline-export-${request.to.replace(':', '-')}-${new Date().toISOString().slice(0, 10)}.zip`;
  if (existsSync(out)) throw new UsageError(`${out} exists; choose another --out`);
  const partial = `${out}.partial`;
  // Opened now, so that a refused export leaves no file behind.
  const stream = createWriteStream(partial, { fd: openSync(partial, 'wx', 0o600) });
  try {
    const deps = { db, config, now: Date.now, signingKey: loadSigningKey(config.dbPath) };
    const result = await writeExport(deps, request, stream, 'system');
    renameSync(partial, out);
    io.stdout.write(`${JSON.stringify({ file: out, ...result })}\n`);
    return 0;
  } catch (error) {
    stream.destroy();
    rmSync(partial, { force: true });
    throw error;
  } finally {
    close();
  }
}

function printPublicKey(io: CliIo): number {
  io.stdout.write(loadSigningKey(loadConfig().dbPath).publicPem);
  return 0;
}

async function verify(file: string, pubkeyFile: string | undefined, io: CliIo): Promise<number> {
  const publicKey = pubkeyFile
    ? createPublicKey(readFileSync(pubkeyFile))
    : loadSigningKey(loadConfig().dbPath).publicKey;
  const check = await verifyPackage(file, publicKey);
  io.stdout.write(`${JSON.stringify({ file, ...check })}\n`);
  if (check.ok) return 0;
  io.stderr.write(`${file}: ${check.problems.join('; ')}\n`);
  return 1;
}

export default {
  summary: 'write, verify or explain the signed packages for the police and partners',
  usage,
  run: exportCommand,
} satisfies CliCommand;
