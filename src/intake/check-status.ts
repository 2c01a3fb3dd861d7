import type { ReporterStatusClock } from '../review/reporter-status.ts';
import type { ReportStatus } from '../taxonomy/vocabulary.ts';
import { hashReceipt, normaliseReceipt } from './receipt.ts';
import { findReportStatus } from './report-status.ts';
import { reportFieldErrors, statusQuerySchema } from './schema.ts';
import type { IntakeDeps } from './submit-report.ts';

export type StatusCheck =
  | { ok: true; status: ReportStatus }
  | { ok: false; error: 'invalid'; fields: Record<string, string> }
  | { ok: false; error: 'not_found'; messageKey: string };

/** A receipt check: a missing or malformed request is a field error; a code that matches nothing is "not found". */
export function checkReportStatus(
  deps: Pick<IntakeDeps, 'db' | 'keys'> & { statusClock: ReporterStatusClock },
  body: unknown,
): StatusCheck {
  const parsed = statusQuerySchema.safeParse(body);
  if (!parsed.success) return { ok: false, error: 'invalid', fields: reportFieldErrors(parsed.error) };
  if (parsed.data.receipt.trim() === '') {
    return { ok: false, error: 'invalid', fields: { receipt: 'error.receipt.required' } };
  }
  const receipt = normaliseReceipt(parsed.data.receipt);
  const status = receipt
    ? findReportStatus(deps.db, hashReceipt(deps.keys.receipt, receipt), deps.statusClock)
    : undefined;
  return status ? { ok: true, status } : { ok: false, error: 'not_found', messageKey: 'error.receipt_not_found' };
}
