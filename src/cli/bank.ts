import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { BankNameError } from '../banks/bank-name.ts';
import { type ImportFormat, importBankFile, importFormats } from '../banks/import.ts';
import { isOwnBank, OwnBankImportError, sourceOfNewBank } from '../banks/own-bank.ts';
import { findBank, listBanks } from '../banks/queries.ts';
import { NotFound } from '../errors.ts';
import { bankImportAudit } from '../review/bank-import.ts';
import { createAuditedBank, switchBank, switchBankEntry } from '../review/bank-switch.ts';
import type { ReviewDeps } from '../review/claims.ts';
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

/** What a subcommand works with; every change it makes is audited as done by `system` (the operator). */
type Subcommand = (deps: ReviewDeps, args: string[], io: CliIo) => Promise<number> | number;

const subcommands: Record<string, Subcommand> = {
  import: importCommand,
  create: createCommand,
  list: listCommand,
  disable: (deps, args, io) => bankSwitch(deps, args, io, false),
  enable: (deps, args, io) => bankSwitch(deps, args, io, true),
  'disable-entry': (deps, args, io) => entrySwitch(deps, args, io, false),
  'enable-entry': (deps, args, io) => entrySwitch(deps, args, io, true),
};

/** `hotline bank ...`: manage the banks of known signals. */
async function bank(args: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = args;
  const subcommand = name !== undefined && Object.hasOwn(subcommands, name) ? subcommands[name] : undefined;
  if (!subcommand) throw new UsageError(name === undefined ? 'bank needs a subcommand' : `unknown: bank ${name}`);
  const { config, db, close } = openCliDatabase();
  try {
    return await subcommand({ config, db, now: Date.now }, rest, io);
  } catch (error) {
    if (!(error instanceof BankNameError)) throw error;
    io.stderr.write(`${error.message}\n`);
    return 1;
  } finally {
    close();
  }
}

async function importCommand(deps: ReviewDeps, args: string[], io: CliIo): Promise<number> {
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
  const now = deps.now();
  const record = bankImportAudit(deps, 'system', format, now);
  const summary = await importBankFile(deps.db, { bank: values.bank, format, content, now, record }).finally(() =>
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

function createCommand(deps: ReviewDeps, args: string[], io: CliIo): number {
  const { values, positionals } = parseCommandArgs(args, { description: { type: 'string' } });
  const [name] = positionals;
  if (positionals.length !== 1 || !name) throw new UsageError('bank create needs NAME');
  if (findBank(deps.db, name) !== null) {
    io.stderr.write(`bank ${name} exists\n`);
    return 1;
  }
  const bank = { name, description: values.description ?? null };
  createAuditedBank(deps, 'system', bank);
  writeJson(io, { bank: name, source: sourceOfNewBank(name), created: true });
  return 0;
}

function listCommand({ db }: ReviewDeps, args: string[], io: CliIo): number {
  if (parseCommandArgs(args, {}).positionals.length > 0) throw new UsageError('bank list takes no arguments');
  for (const summary of listBanks(db)) writeJson(io, summary);
  return 0;
}

function bankSwitch(deps: ReviewDeps, args: string[], io: CliIo, enabled: boolean): number {
  const { positionals } = parseCommandArgs(args, {});
  const [name] = positionals;
  if (positionals.length !== 1 || !name) throw new UsageError(`bank ${enabled ? 'enable' : 'disable'} needs NAME`);
  if (!notFoundIsFalse(() => switchBank(deps, 'system', name, enabled))) {
    io.stderr.write(`no bank named ${name}\n`);
    return 1;
  }
  writeJson(io, { bank: name, enabled });
  return 0;
}

function entrySwitch(deps: ReviewDeps, args: string[], io: CliIo, enabled: boolean): number {
  const { positionals } = parseCommandArgs(args, {});
  const id = Number(positionals[0]);
  if (positionals.length !== 1 || !Number.isSafeInteger(id) || id <= 0) {
    throw new UsageError(`bank ${enabled ? 'enable' : 'disable'}-entry needs an entry ID`);
  }
  if (!notFoundIsFalse(() => switchBankEntry(deps, 'system', id, enabled))) {
    io.stderr.write(`no bank entry ${id} (or its import has not completed)\n`);
    return 1;
  }
  writeJson(io, { entryId: id, enabled });
  return 0;
}

/** Runs `change`; false when it found nothing to change (NotFound), which the command reports itself. */
function notFoundIsFalse(change: () => unknown): boolean {
  try {
    change();
    return true;
  } catch (error) {
    if (error instanceof NotFound) return false;
    throw error;
  }
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
