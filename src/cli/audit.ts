import { parseArgs } from 'node:util';
import { auditKey } from '../audit/chain.ts';
import { type ChainHead, verifyAuditChain } from '../audit/verify.ts';
import type { CliIo } from './index.ts';
import { openCliDatabase } from './open-database.ts';

const usage = 'usage: hotline audit verify [--expect-head SEQ:HASH]\n';

/**
 * `hotline audit verify`: checks the whole chain under the configured secret key; exit 0 with the
 * head to write down elsewhere, 1 naming the first broken event. `--expect-head` is a head written
 * down earlier: the chain must still hold that event with that hash, so cutting off the newest
 * rows is caught too.
 */
export default async function audit(args: string[], io: CliIo): Promise<number> {
  let expectHead: ChainHead | undefined;
  try {
    expectHead = parseCommand(args);
  } catch (error) {
    io.stderr.write(`${usage}${(error as Error).message}\n`);
    return 1;
  }
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
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { 'expect-head': { type: 'string' } },
    strict: true,
  });
  if (positionals.length !== 1 || positionals[0] !== 'verify') throw new Error('unknown command');
  const anchor = values['expect-head'];
  if (anchor === undefined) return undefined;
  const match = /^([1-9]\d{0,15}):([0-9a-f]{64})$/.exec(anchor);
  if (!match?.[1] || !match[2]) throw new Error('--expect-head wants SEQ:HASH, as `audit verify` printed them');
  return { seq: Number(match[1]), hash: match[2] };
}

function explain(seq: number, reason: string): string {
  if (reason === 'anchor') return `audit chain no longer holds the expected event ${seq} with its hash`;
  const hint = seq === 1 && reason === 'hash' ? ' (or HOTLINE_SECRET_KEY is not the key it was written with)' : '';
  return `audit chain broken at event ${seq} (${reason})${hint}`;
}
