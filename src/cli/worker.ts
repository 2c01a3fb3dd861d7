import { pino } from 'pino';
import { createBackgroundWork } from '../background-work.ts';
import { writeServerPid } from '../backup/server-pid.ts';
import { loadSigningKey } from '../key-files.ts';
import { createLogger } from '../logger.ts';
import { shutdownGraceMs } from '../triage/triage-worker.ts';
import { type CliCommand, type CliIo, parseCommandArgs, UsageError } from './command.ts';
import { openCliDatabase } from './open-database.ts';

/**
 * `hotline worker [--once]`: runs the background work alone (for a deployment that keeps it apart
 * from the web process, `HOTLINE_WORKER=off` there): the same workers as `npm start`. Stops on
 * SIGTERM or SIGINT, letting running jobs finish. `--once` runs the jobs due now and exits,
 * printing `{"jobs":N,"triage":T,"housekeeping":H,"recheck":R}` (in all, then per worker).
 */
async function worker(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { once: { type: 'boolean', default: false } });
  if (positionals.length > 0) throw new UsageError(`unexpected arguments: ${positionals.join(' ')}`);
  const { once } = values;
  const { config, db, close } = openCliDatabase();
  // As `npm start` does: `restore` and `key rotate` refuse to run under a live worker.
  const removePid = config.dbPath === ':memory:' ? () => {} : writeServerPid(config.dbPath, 'worker');
  try {
    // Stdout carries the command's result; the worker's log goes to stderr.
    const logger = createLogger(config.logLevel, pino.destination(2));
    const running = await createBackgroundWork({
      config,
      db,
      logger,
      now: Date.now,
      signingKey: loadSigningKey(config.dbPath),
    });
    try {
      if (!config.fetch.enabled) io.stderr.write('HOTLINE_FETCH=off: triage jobs wait for fetching to be turned on\n');
      if (once) {
        const ran = await running.drain();
        const jobs = Object.values(ran).reduce((sum, n) => sum + n, 0);
        io.stdout.write(`${JSON.stringify({ jobs, ...ran })}\n`);
        return 0;
      }
      running.start();
      io.stderr.write(`workers running: ${running.names.join(', ')} (triage ${config.worker.concurrency} at a time)\n`);
      const signal = await new Promise<string>((resolve) => {
        process.once('SIGTERM', resolve);
        process.once('SIGINT', resolve);
      });
      io.stderr.write(`${signal}: stopping, running jobs get ${shutdownGraceMs / 1000} s to finish\n`);
      return 0;
    } finally {
      await running.stop(shutdownGraceMs);
    }
  } finally {
    close();
    removePid();
  }
}

export default {
  summary: 'the background work alone: triage, housekeeping, re-check (--once: run what is due, then stop)',
  usage: 'usage: hotline worker [--once]\n',
  run: worker,
} satisfies CliCommand;
