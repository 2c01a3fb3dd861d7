import type { FetchErrorReason } from '../triage/fetcher/errors.ts';
import { type Inspection, inspectUrl } from '../triage/pipeline.ts';
import { createTriageTools } from '../triage/triage-tools.ts';
import type { CliIo } from './index.ts';
import { openCliDatabase } from './open-database.ts';

/** Refusals that are about the address given, not about the server behind it. */
const badInput: readonly FetchErrorReason[] = ['unsupported_scheme', 'userinfo', 'port'];

/** What `hotline triage` prints: signals and matches, never content. */
export function describeInspection(inspection: Inspection) {
  const { hosting } = inspection;
  return {
    url: inspection.url,
    finalUrl: inspection.finalUrl,
    httpStatus: inspection.httpStatus,
    hosting: hosting && {
      ip: hosting.ip,
      country: hosting.country,
      asn: hosting.asn,
      org: hosting.org,
      ...(hosting.hosting ? { hosting: hosting.hosting } : {}),
    },
    media: inspection.media.map(({ url, size, signals, refusal, matches }) => ({
      url,
      mediaType: signals.mediaType,
      size,
      width: signals.width,
      height: signals.height,
      sha256: signals.sha256,
      sha1: signals.sha1,
      md5: signals.md5,
      blockhash: signals.blockhash,
      pdq: signals.pdq,
      pdqQuality: signals.pdqQuality,
      refusal,
      matches,
    })),
    skipped: inspection.skipped,
    error: inspection.error,
  };
}

/**
 * `hotline triage URL`: fetch, hash, match and look up the hosting of one address now, and print
 * one JSON object. Stores nothing: no item, no media, no job.
 */
export default async function triage(args: string[], io: CliIo): Promise<number> {
  const [url, ...extra] = args;
  if (!url || extra.length > 0 || !URL.canParse(url)) {
    io.stderr.write('usage: hotline triage URL (one absolute http or https address)\n');
    return 1;
  }
  const { config, db, close } = openCliDatabase();
  try {
    if (!config.fetch.enabled) {
      io.stderr.write('fetching is off (HOTLINE_FETCH=off)\n');
      return 2;
    }
    const { tools, close: closeTools } = await createTriageTools(config, db);
    try {
      const inspection = await inspectUrl(url, tools);
      io.stdout.write(`${JSON.stringify(describeInspection(inspection))}\n`);
      return inspection.error && badInput.includes(inspection.error) ? 1 : 0;
    } finally {
      await closeTools();
    }
  } finally {
    close();
  }
}
