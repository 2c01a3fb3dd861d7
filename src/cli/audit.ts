import { readFileSync } from 'node:fs';
import { AnchorFileError, parseAnchors } from '../audit/anchor.ts';
import { auditKey } from '../audit/chain.ts';
import { type ChainHead, verifyAuditChain } from '../audit/verify.ts';
import { type CliCommand, type CliIo, parseCommandArgs, UsageError } from './command.ts';
import { openCliDatabase } from './open-database.ts';

const usage = 'usage: hotline audit verify [--expect-head SEQ:HASH] [--anchors FILE]\n';

/**
 * `hotline audit verify`: checks the whole chain under the configured secret key; exit 0 with the
 * head to write down elsewhere, 1 naming the first broken event. `--expect-head` is a head written
 * down earlier, `--anchors` a file of them (what HOTLINE_AUDIT_ANCHOR writes daily): the chain must
 * still hold each of those events with its hash, so cutting off the newest rows is caught too.
 */
async function audit(args: string[], io: CliIo): Promise<number> {
  const anchors = parseCommand(args);
  const { config, db, close } = openCliDatabase();
  try {
    // One read transaction: the walk sees a single state of the chain while others append.
    const verdict = db.transaction((tx) => verifyAuditChain(tx, auditKey(config), anchors));
    io.stdout.write(`${JSON.stringify({ ...verdict, anchors: anchors.length })}\n`);
    if (verdict.ok) return 0;
    io.stderr.write(`${explain(verdict.brokenAt, verdict.reason)}; ${verdict.events} events before it are sound\n`);
    return 1;
  } finally {
    close();
  }
}

function parseCommand(args: string[]): ChainHead[] {
  const { values, positionals } = parseCommandArgs(args, {
    'expect-head': { type: 'string' },
    anchors: { type: 'string' },
  });
  if (positionals.length !== 1 || positionals[0] !== 'verify') throw new UsageError('audit has one subcommand: verify');
  return [...expectedHead(values['expect-head']), ...anchorsOf(values.anchors)];
}

function expectedHead(anchor: string | undefined): ChainHead[] {
  if (anchor === undefined) return [];
  const match = /^([1-9]\d{0,15}):([0-9a-f]{64})$/.exec(anchor);
  if (!match?.[1] || !match[2]) throw new UsageError('--expect-head wants SEQ:HASH, as `audit verify` printed them');
  return [{ seq: Number(match[1]), hash: match[2] }];
}

function anchorsOf(file: string | undefined): ChainHead[] {
  if (file === undefined) return [];
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--anchors: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    const anchors = parseAnchors(text);
    if (anchors.length === 0) throw new AnchorFileError('it holds no anchor');
    return anchors;
  } catch (error) {
    if (error instanceof AnchorFileError) throw new UsageError(`--anchors ${file}: ${error.message}`);
    throw error;
  }
}

function explain(seq: number, reason: string): string {
  if (reason === 'anchor') return `audit chain no longer holds the anchored event ${seq} with its hash`;
  const hint = seq === 1 && reason === 'hash' ? ' (or HOTLINE_SECRET_KEY is not the key it was written with)' : '';
  return `audit chain broken at event ${seq} (${reason})${hint}`;
}

export default {
  summary: 'check the audit chain (and anchors kept elsewhere) and print its head',
  usage,
  run: audit,
} satisfies CliCommand;
