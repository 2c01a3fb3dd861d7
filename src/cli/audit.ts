import { auditKey } from '../audit/chain.ts';
import { type ChainHead, verifyAuditChain } from '../audit/verify.ts';
import { type CliCommand, type CliIo, parseCommandArgs, UsageError } from './command.ts';
import { openCliDatabase } from './open-database.ts';

const usage = 'usage: hotline audit verify [--expect-head SEQ:HASH]\n';

/**
 * `hotline audit verify`: checks the whole chain under the configured secret key; exit 0 with the
 * head to write down elsewhere, 1 naming the first broken event. `--expect-head` is a head written
 * down earlier: the chain must still hold that event with that hash, so cutting off the newest
 * rows is caught too.
 */
async function audit(args: string[], io: CliIo): Promise<number> {
  const expectHead = parseCommand(args);
  const { config, db, close } = openCliDatabase();
  try {
    // One read transaction: the walk sees a single state of the chain while others append.
    const verdict = db.transaction((tx) => verifyAuditChain(tx, auditKey(config), expectHead));
    io.stdout.write(`${JSON.stringify(verdict)}\n`);
    if (verdict.ok) return 0;
    io.stderr.write(`${explain(verdict.brokenAt, verdict.reason)}; ${verdict.events} events before it are sound\n`);
    return 1;
  } finally {
    close();
  }
}

function parseCommand(args: string[]): ChainHead | undefined {
  const { values, positionals } = parseCommandArgs(args, { 'expect-head': { type: 'string' } });
  if (positionals.length !== 1 || positionals[0] !== 'verify') throw new UsageError('audit has one subcommand: verify');
  const anchor = values['expect-head'];
  if (anchor === undefined) return undefined;
  const match = /^([1-9]\d{0,15}):([0-9a-f]{64})$/.exec(anchor);
  if (!match?.[1] || !match[2]) throw new UsageError('--expect-head wants SEQ:HASH, as `audit verify` printed them');
  return { seq: Number(match[1]), hash: match[2] };
}

function explain(seq: number, reason: string): string {
  if (reason === 'anchor') return `audit chain no longer holds the expected event ${seq} with its hash`;
  const hint = seq === 1 && reason === 'hash' ? ' (or HOTLINE_SECRET_KEY is not the key it was written with)' : '';
  return `audit chain broken at event ${seq} (${reason})${hint}`;
}

export default {
  summary: 'check the audit chain and print its head',
  usage,
  run: audit,
} satisfies CliCommand;
