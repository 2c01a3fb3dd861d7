import type { FetchErrorReason } from '../fetcher/errors.ts';
import { isAllowListedUrl } from '../fetcher/url-policy.ts';
import { readMatchThresholds } from '../triage/match-thresholds.ts';
import { mediumFields } from '../triage/medium-fields.ts';
import { type Inspection, inspectUrl } from '../triage/pipeline.ts';
import { withThresholdsInForce } from '../triage/triage-job.ts';
import { createTriageTools } from '../triage/triage-tools.ts';
import { canonicaliseUrl } from '../urls/canonical-url.ts';
import { type CliCommand, type CliIo, parseCommandArgs, UsageError } from './command.ts';
import { openCliDatabase } from './open-database.ts';

const usage = 'usage: hotline triage URL   (one http or https address)\n';

/** Refusals that are about the address given, not about the server behind it. */
const badInput: readonly FetchErrorReason[] = ['unsupported_scheme', 'userinfo', 'port', 'blocked_address'];

/** What `hotline triage` prints: signals and matches, never content. */
export function describeInspection(inspection: Inspection) {
  return {
    url: inspection.url,
    finalUrl: inspection.finalUrl,
    httpStatus: inspection.httpStatus,
    hosting: inspection.hosting,
    media: inspection.media.map((medium) => ({
      ...mediumFields(medium),
      hosting: medium.hosting,
      matches: medium.matches,
    })),
    skipped: inspection.skipped,
    error: inspection.error,
  };
}

/**
 * `hotline triage URL`: fetch, hash, match and look up the hosting of one address now, and print
 * one JSON object. The address is canonicalised first, as intake does (`example.com` is
 * `http://example.com/`). Stores nothing: no item, no media, no job.
 */
async function triage(args: string[], io: CliIo): Promise<number> {
  const [input, ...extra] = parseCommandArgs(args, {}).positionals;
  if (!input || extra.length > 0) throw new UsageError('triage takes one address');
  const refuse = (error: string, message: string) => {
    io.stdout.write(`${JSON.stringify({ url: input, error })}\n`);
    io.stderr.write(message);
    return 1;
  };
  const canonical = canonicaliseUrl(input);
  if (!canonical.ok) return refuse(canonical.error, `not an address (${canonical.error})\n${usage}`);
  const { config, db, close } = openCliDatabase();
  try {
    if (canonical.isLocal && !isAllowListedUrl(canonical.url, config.fetch.allow)) {
      return refuse('blocked_address', 'a local or private address: never fetched\n');
    }
    if (!config.fetch.enabled) {
      io.stderr.write('fetching is off (HOTLINE_FETCH=off)\n');
      return 2;
    }
    const { tools, close: closeTools } = await createTriageTools(config, db);
    try {
      const inForce = withThresholdsInForce(tools, readMatchThresholds(db, config.matching.thresholds));
      const inspection = await inspectUrl(canonical.url, inForce, AbortSignal.timeout(config.worker.triageBudgetMs));
      io.stdout.write(`${JSON.stringify(describeInspection(inspection))}\n`);
      return inspection.error && badInput.includes(inspection.error) ? 1 : 0;
    } finally {
      await closeTools();
    }
  } finally {
    close();
  }
}

export default {
  summary: 'one address through fetch, signals, matching and hosting now; stores nothing',
  usage,
  run: triage,
} satisfies CliCommand;
