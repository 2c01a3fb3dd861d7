import { parseArgs } from 'node:util';
import { purgeExpiredReports } from '../retention/purge.ts';
import type { CliIo } from './index.ts';
import { openCliDatabase } from './open-database.ts';

const usage = 'usage: hotline purge [--apply]\n';

/**
 * `hotline purge`: removes what reporters wrote from reports closed longer than
 * HOTLINE_RETENTION_DAYS ago. A dry run unless `--apply`; prints the counts either way.
 */
export default async function purge(args: string[], io: CliIo): Promise<number> {
  let apply: boolean;
  try {
    const { values } = parseArgs({ args, options: { apply: { type: 'boolean', default: false } }, strict: true });
    apply = values.apply;
  } catch (error) {
    io.stderr.write(`${usage}${(error as Error).message}\n`);
    return 1;
  }
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
