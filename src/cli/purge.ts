import { purgeExpiredReports } from '../retention/purge.ts';
import { type CliCommand, type CliIo, parseCommandArgs, UsageError } from './command.ts';
import { openCliDatabase } from './open-database.ts';

const usage = 'usage: hotline purge [--apply]\n';

/**
 * `hotline purge`: removes what reporters wrote from reports closed longer than
 * HOTLINE_RETENTION_DAYS ago. A dry run unless `--apply`; prints the counts either way.
 */
async function purge(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { apply: { type: 'boolean', default: false } });
  if (positionals.length > 0) throw new UsageError('purge takes no arguments');
  const apply = values.apply;
  const { config, db, close } = openCliDatabase();
  try {
    const outcome = purgeExpiredReports(db, config, { now: Date.now(), apply });
    io.stdout.write(`${JSON.stringify({ ...outcome, cutoff: new Date(outcome.cutoff).toISOString() })}\n`);
    const { reports } = outcome.counts;
    io.stderr.write(
      apply
        ? `purged ${reports} report(s) closed before the cutoff\n`
        : `dry run: ${reports} report(s) would be purged; run with --apply to purge them\n`,
    );
    return 0;
  } finally {
    close();
  }
}

export default {
  summary: 'remove what reporters wrote from reports closed past the retention period (dry run unless --apply)',
  usage,
  run: purge,
} satisfies CliCommand;
