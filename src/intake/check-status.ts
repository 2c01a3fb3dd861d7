import type { ReportStatus } from '../db/schema/intake.ts';
import { hashReceipt, normaliseReceipt } from './receipt.ts';
import { findReportStatus } from './report-status.ts';
import { statusQuerySchema } from './schema.ts';
import type { IntakeDeps } from './submit-report.ts';

export type StatusCheck =
  | { ok: true; status: ReportStatus }
  | { ok: false; error: 'missing' | 'not_found'; messageKey: string };

/** A receipt check: an empty code is a form error; any other code that matches nothing is "not found". */
export function checkReportStatus(deps: Pick<IntakeDeps, 'db' | 'keys'>, body: unknown): StatusCheck {
  const parsed = statusQuerySchema.safeParse(body);
  if (!parsed.success || parsed.data.receipt.trim() === '') {
    return { ok: false, error: 'missing', messageKey: 'error.receipt.required' };
  }
  const receipt = normaliseReceipt(parsed.data.receipt);
  const status = receipt ? findReportStatus(deps.db, hashReceipt(deps.keys.receipt, receipt)) : undefined;
  return status ? { ok: true, status } : { ok: false, error: 'not_found', messageKey: 'error.receipt_not_found' };
}
