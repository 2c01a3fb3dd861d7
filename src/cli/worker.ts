import { pino } from 'pino';
import { createLogger } from '../logger.ts';
import { createTriageWorker, shutdownGraceMs } from '../triage/triage-worker.ts';
import { type CliCommand, type CliIo, parseCommandArgs, UsageError } from './command.ts';
import { openCliDatabase } from './open-database.ts';

/**
 * `hotline worker [--once]`: runs the triage worker alone (for a deployment that keeps it apart
 * from the web process). Stops on SIGTERM or SIGINT, letting running jobs finish. `--once` runs
 * the jobs available now and exits, printing `{"jobs":N}`.
 */
async function worker(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { once: { type: 'boolean', default: false } });
  if (positionals.length > 0) throw new UsageError(`unexpected arguments: ${positionals.join(' ')}`);
  const { once } = values;
  const { config, db, close } = openCliDatabase();
  try {
    // Stdout carries the command's result; the worker's log goes to stderr.
    const logger = createLogger(config.logLevel, pino.destination(2));
    const running = await createTriageWorker({ config, db, logger, now: Date.now });
    try {
      if (!config.fetch.enabled) io.stderr.write('HOTLINE_FETCH=off: triage jobs wait for fetching to be turned on\n');
      if (once) {
        io.stdout.write(`${JSON.stringify({ jobs: await running.worker.drain() })}\n`);
        return 0;
      }
      running.worker.start();
      io.stderr.write(`worker ${running.worker.workerId} running, ${config.worker.concurrency} at a time\n`);
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
  }
}

export default {
  summary: 'the triage worker alone (--once: run what is due, then stop)',
  usage: 'usage: hotline worker [--once]\n',
  run: worker,
} satisfies CliCommand;
