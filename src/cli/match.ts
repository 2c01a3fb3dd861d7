import { createInterface } from 'node:readline';
import { Matcher } from '../matching/matcher.ts';
import { isSignalType, signalType, signalTypes } from '../signals/types/index.ts';
import { readMatchThresholds } from '../triage/match-thresholds.ts';
import { type CliCommand, type CliIo, parseCommandArgs, UsageError } from './command.ts';
import { openCliDatabase } from './open-database.ts';

const usage = `usage: hotline match --type ${signalTypes.join('|')}   (one hash a line on stdin)\n`;

/**
 * `hotline match --type T`: matches each hash read from stdin against the banks, at the match
 * distances in force (the settings over the configured ones, as triage matches); one JSON line per hash: `{"query","matches":[{"bank","label","value","distance","variant","entryId"}]}`
 * (the entry id is what `bank disable-entry` takes), or `{"query","error"}` for a malformed one (exit 1 at the end).
 */
async function match(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { type: { type: 'string' } });
  const type = values.type;
  if (!isSignalType(type)) throw new UsageError(`--type must be one of ${signalTypes.join(', ')}`);
  if (positionals.length > 0) throw new UsageError('match reads its hashes from stdin, not from arguments');
  const { config, db, close } = openCliDatabase();
  try {
    const matcher = new Matcher(db, config.matching);
    const thresholds = readMatchThresholds(db, config.matching.thresholds);
    let exitCode = 0;
    for await (const line of createInterface({ input: io.stdin, crlfDelay: Number.POSITIVE_INFINITY })) {
      const query = line.trim();
      if (query === '') continue;
      const normalised = signalType(type).normalise(query);
      if ('problem' in normalised) {
        io.stdout.write(`${JSON.stringify({ query, error: normalised.problem })}\n`);
        exitCode = 1;
        continue;
      }
      const matches = matcher
        .match({ [type]: normalised.value }, thresholds)
        .map(({ bank, label, value, distance, variant, entryId }) => ({
          bank,
          label,
          value,
          distance,
          variant,
          entryId,
        }));
      io.stdout.write(`${JSON.stringify({ query, matches })}\n`);
    }
    return exitCode;
  } finally {
    close();
  }
}

export default {
  summary: 'match hashes read from stdin against the banks',
  usage,
  run: match,
} satisfies CliCommand;
