import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { BankNameError } from '../banks/bank-name.ts';
import { createBank, setBankEnabled, setBankEntryEnabled } from '../banks/commands.ts';
import { type ImportFormat, importBankFile, importFormats } from '../banks/import.ts';
import { isOwnBank, OwnBankImportError, sourceOfNewBank } from '../banks/own-bank.ts';
import { findBank, listBanks } from '../banks/queries.ts';
import { type Db, writeTransaction } from '../db/client.ts';
import { type CliCommand, type CliIo, parseCommandArgs, UsageError } from './command.ts';
import { openCliDatabase } from './open-database.ts';

const usage = `usage: hotline bank import FILE --bank NAME [--format csv|vics]
       hotline bank create NAME [--description TEXT]
       hotline bank list
       hotline bank disable NAME
       hotline bank enable NAME
       hotline bank disable-entry ID
       hotline bank enable-entry ID
`;

type Subcommand = (db: Db, args: string[], io: CliIo) => Promise<number> | number;

const subcommands: Record<string, Subcommand> = {
  import: importCommand,
  create: createCommand,
  list: listCommand,
  disable: (db, args, io) => bankSwitch(db, args, io, false),
  enable: (db, args, io) => bankSwitch(db, args, io, true),
  'disable-entry': (db, args, io) => entrySwitch(db, args, io, false),
  'enable-entry': (db, args, io) => entrySwitch(db, args, io, true),
};

/** `hotline bank ...`: manage the banks of known signals. */
async function bank(args: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = args;
  const subcommand = name !== undefined && Object.hasOwn(subcommands, name) ? subcommands[name] : undefined;
  if (!subcommand) throw new UsageError(name === undefined ? 'bank needs a subcommand' : `unknown: bank ${name}`);
  const { db, close } = openCliDatabase();
  try {
    return await subcommand(db, rest, io);
  } catch (error) {
    if (!(error instanceof BankNameError)) throw error;
    io.stderr.write(`${error.message}\n`);
    return 1;
  } finally {
    close();
  }
}

async function importCommand(db: Db, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { bank: { type: 'string' }, format: { type: 'string' } });
  const [file] = positionals;
  if (positionals.length !== 1 || !file || !values.bank) throw new UsageError('bank import needs FILE and --bank NAME');
  // Without --format, a .json file is taken for VICS and anything else for CSV.
  const format = values.format ?? (file.toLowerCase().endsWith('.json') ? 'vics' : 'csv');
  if (!isImportFormat(format)) throw new UsageError(`unknown format: ${format}`);
  if (isOwnBank(values.bank)) {
    io.stderr.write(`${new OwnBankImportError().message}\n`);
    return 1;
  }
  const content = createReadStream(file);
  try {
    await once(content, 'ready');
  } catch (error) {
    io.stderr.write(`cannot read ${file}: ${(error as Error).message}\n`);
    return 1;
  }
  const summary = await importBankFile(db, { bank: values.bank, format, content, now: Date.now() }).finally(() =>
    content.destroy(),
  );
  for (const { line, message } of summary.errors) writeJson(io, { file, line, error: message });
  writeJson(io, { ...summary, errors: summary.errors.length });
  if (!summary.bankEnabled) {
    io.stderr.write(
      `bank ${summary.bank} is disabled: its entries match nothing until \`bank enable ${summary.bank}\`\n`,
    );
  }
  if (summary.errors.length === 0) return 0;
  io.stderr.write(`${summary.errors.length} bad rows skipped\n`);
  return 1;
}

function createCommand(db: Db, args: string[], io: CliIo): number {
  const { values, positionals } = parseCommandArgs(args, { description: { type: 'string' } });
  const [name] = positionals;
  if (positionals.length !== 1 || !name) throw new UsageError('bank create needs NAME');
  if (findBank(db, name) !== null) {
    io.stderr.write(`bank ${name} exists\n`);
    return 1;
  }
  const bank = { name, description: values.description ?? null };
  writeTransaction(db, (tx) => createBank(tx, bank, Date.now()));
  writeJson(io, { bank: name, source: sourceOfNewBank(name), created: true });
  return 0;
}

function listCommand(db: Db, args: string[], io: CliIo): number {
  if (parseCommandArgs(args, {}).positionals.length > 0) throw new UsageError('bank list takes no arguments');
  for (const summary of listBanks(db)) writeJson(io, summary);
  return 0;
}

function bankSwitch(db: Db, args: string[], io: CliIo, enabled: boolean): number {
  const { positionals } = parseCommandArgs(args, {});
  const [name] = positionals;
  if (positionals.length !== 1 || !name) throw new UsageError(`bank ${enabled ? 'enable' : 'disable'} needs NAME`);
  if (!writeTransaction(db, (tx) => setBankEnabled(tx, name, enabled))) {
    io.stderr.write(`no bank named ${name}\n`);
    return 1;
  }
  writeJson(io, { bank: name, enabled });
  return 0;
}

function entrySwitch(db: Db, args: string[], io: CliIo, enabled: boolean): number {
  const { positionals } = parseCommandArgs(args, {});
  const id = Number(positionals[0]);
  if (positionals.length !== 1 || !Number.isSafeInteger(id) || id <= 0) {
    throw new UsageError(`bank ${enabled ? 'enable' : 'disable'}-entry needs an entry ID`);
  }
  if (!writeTransaction(db, (tx) => setBankEntryEnabled(tx, id, enabled))) {
    io.stderr.write(`no bank entry ${id} (or its import has not completed)\n`);
    return 1;
  }
  writeJson(io, { entryId: id, enabled });
  return 0;
}

function isImportFormat(value: string): value is ImportFormat {
  return (importFormats as readonly string[]).includes(value);
}

function writeJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value)}\n`);
}

export default {
  summary: 'manage the banks of known signals: import, create, list, disable and enable banks or entries',
  usage,
  run: bank,
} satisfies CliCommand;
