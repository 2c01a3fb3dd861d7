import { deriveKey, seal } from '../crypto/seal.ts';
import { type Db, type Tx, writeTransaction } from '../db/client.ts';
import { Invalid } from '../errors.ts';
import { isAllowListedUrl } from '../fetcher/url-policy.ts';
import { withValues } from '../http/i18n.ts';
import type { BatchedCommits } from '../jobs/batched-commits.ts';
import { minuteMs, startOfMinute } from '../minute.ts';
import { canonicaliseUrl } from '../urls/canonical-url.ts';
import { readPastedLine } from '../urls/extract-urls.ts';
import { fetchAddress } from '../urls/fetch-address.ts';
import { generateReceipt, hashReceipt, normaliseReceipt } from './receipt.ts';
import { maxUrlsPerReport, reportFieldErrors, reportSubmissionSchema } from './schema.ts';
import { contactPlace, type ReportedAddress, type ReportToStore, storeReport } from './store-report.ts';

export interface IntakeKeys {
  receipt: Buffer;
  contact: Buffer;
  formToken: Buffer;
}

/** `hashKey` keys the receipt hashes, which must survive a rotation of the secret key (src/key-files.ts). */
export function deriveIntakeKeys(secretKey: Buffer, hashKey = secretKey): IntakeKeys {
  return {
    receipt: deriveKey(hashKey, 'receipt'),
    contact: deriveKey(secretKey, 'contact'),
    formToken: deriveKey(secretKey, 'form-token'),
  };
}

export interface IntakeDeps {
  db: Db;
  keys: IntakeKeys;
  now: () => number;
  /** host:port pairs the test-only fetch allowance opens; local addresses there are accepted. */
  fetchAllow: string[];
  /**
   * A random wait (ms, under a minute) added to the end of the minute a report arrived before its
   * items may be fetched: the fetch time, written to the database and seen by the reported site,
   * then says nothing about the second the report was sent. Without it triage may start at once.
   */
  triageDelay?: () => number;
}

function triageNotBefore(now: number, triageDelay: (() => number) | undefined): number {
  return triageDelay ? startOfMinute(now) + minuteMs + triageDelay() : now;
}

export interface PreparedReport {
  /** Shown to the reporter once the report is stored; only its hash is written. */
  receipt: string;
  report: ReportToStore;
}

/** Validates a submission and canonicalises every address; throws a 400 naming each bad field. Writes nothing. */
export function prepareReport(deps: IntakeDeps, body: unknown): PreparedReport {
  const parsed = reportSubmissionSchema.safeParse(body);
  const urls = (body as { urls?: unknown } | null)?.urls;
  const addresses =
    Array.isArray(urls) && urls.every((u) => typeof u === 'string')
      ? canonicaliseAll(urls, deps.fetchAllow)
      : undefined;
  const errors = parsed.success ? {} : reportFieldErrors(parsed.error);
  if (addresses && !addresses.ok) errors.urls ??= addresses.messageKey;
  if (!parsed.success || !addresses?.ok) throw new Invalid(errors);

  const { contact, lang, urls: _urls, ...submission } = parsed.data;
  const now = deps.now();
  const receipt = generateReceipt();
  const receiptHash = hashReceipt(deps.keys.receipt, normaliseReceipt(receipt) ?? receipt);
  const report = {
    submission,
    addresses: addresses.value,
    receiptHash,
    sealContact: contact ? (reportId: number) => seal(deps.keys.contact, contact, contactPlace(reportId)) : undefined,
    lang: contact ? (lang ?? 'fr') : null,
    now,
    triageNotBefore: triageNotBefore(now, deps.triageDelay),
  };
  return { receipt, report };
}

/** Validates and stores one report in a transaction of its own (one commit each: for one-at-a-time writers). */
export function submitReport(deps: IntakeDeps, body: unknown): { receipt: string; reportId: number } {
  const { receipt, report } = prepareReport(deps, body);
  const { reportId } = writeTransaction(deps.db, (tx) => storeReport(tx, report));
  return { receipt, reportId };
}

/**
 * Validates a report and stores it in the next group commit (see BatchedCommits): it resolves only
 * once the transaction holding it has committed, so the receipt is never shown for a report that
 * could still be lost. A report whose write fails is rolled back alone (its savepoint) and rejects;
 * when the commit itself fails, every report of the batch rejects and none of them is stored.
 * `alongside` writes in the report's own savepoint (the form marks its token used there): what it
 * throws rolls the report back.
 */
export async function submitReportGrouped(
  deps: IntakeDeps,
  commits: BatchedCommits,
  body: unknown,
  alongside?: (tx: Tx, receipt: string) => void,
): Promise<{ receipt: string; reportId: number }> {
  const { receipt, report } = prepareReport(deps, body);
  let reportId: number | undefined;
  const outcome = await commits.commit((tx) => {
    reportId = storeReport(tx, report).reportId;
    alongside?.(tx, receipt);
  });
  if (!outcome.ok) throw outcome.error;
  return { receipt, reportId: reportId as number };
}

type Canonicalised = { ok: true; value: ReportedAddress[] } | { ok: false; messageKey: string };

/**
 * Each line (a line of the form's box, an entry of the API's list) read the one way (readPastedLine),
 * each address canonicalised. A refusal names its line: `error.urls.<problem>|line=<n>`.
 */
function canonicaliseAll(lines: string[], fetchAllow: string[]): Canonicalised {
  const value: ReportedAddress[] = [];
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const refuse = (problem: string): Canonicalised => ({
      ok: false,
      messageKey: withValues(`error.urls.${problem}`, { line: index + 1 }),
    });
    const pasted = readPastedLine(line);
    if ('problem' in pasted) return refuse(pasted.problem);
    for (const input of pasted.addresses) {
      const result = canonicaliseUrl(input);
      if (!result.ok) return refuse(result.error);
      if (result.isLocal && !isAllowListedUrl(result.url, fetchAllow)) return refuse('local');
      value.push({ input, canonical: result, fetchUrl: fetchAddress(input, result) });
    }
  }
  if (value.length === 0) return { ok: false, messageKey: 'error.urls.required' };
  if (value.length > maxUrlsPerReport) return { ok: false, messageKey: 'error.urls.too_many' };
  return { ok: true, value };
}
