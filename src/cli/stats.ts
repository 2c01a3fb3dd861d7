import { statisticsCsv } from '../stats/csv.ts';
import { periodOfYear } from '../stats/period.ts';
import { periodStatistics } from '../stats/statistics.ts';
import { type CliCommand, type CliIo, parseCommandArgs, UsageError } from './command.ts';
import { openCliDatabase } from './open-database.ts';

const usage = 'usage: hotline stats --year YYYY [--format json|csv]\n';

/** `hotline stats`: the figures of a calendar year (UTC), as one JSON line or as CSV. */
async function stats(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    year: { type: 'string' },
    format: { type: 'string', default: 'json' },
  });
  if (positionals.length > 0) throw new UsageError('stats takes no arguments');
  if (!values.year || !/^\d{4}$/.test(values.year)) throw new UsageError('--year needs a year such as 2026');
  if (values.format !== 'json' && values.format !== 'csv') throw new UsageError('--format is json or csv');
  const { db, close } = openCliDatabase();
  try {
    const figures = periodStatistics(db, periodOfYear(Number(values.year)));
    io.stdout.write(values.format === 'csv' ? statisticsCsv(figures) : `${JSON.stringify(figures)}\n`);
    return 0;
  } finally {
    close();
  }
}

export default {
  summary: "the year's figures: reports, items, assessments, hosting, forwards, time to assessment and to removal",
  usage,
  run: stats,
} satisfies CliCommand;
