import { eq } from 'drizzle-orm';
import { auditKey, userActor } from '../audit/chain.ts';
import { auditedTransaction, recordAuditEvent } from '../audit/record.ts';
import { open } from '../crypto/seal.ts';
import { reports, reportUrls } from '../db/schema/intake.ts';
import { NotFound } from '../errors.ts';
import { contactPlace } from '../intake/store-report.ts';
import { deriveIntakeKeys } from '../intake/submit-report.ts';
import type { ReviewDeps } from './claims.ts';

/**
 * A report's contact address, for a supervisor who asks for it: decrypted only here, and the
 * request is audited (about the report and each of its items) before the address leaves the server.
 */
export function revealReportContact(deps: ReviewDeps, userId: number, reportId: number): { contact: string | null } {
  const report = deps.db
    .select({ sealed: reports.contactCiphertext })
    .from(reports)
    .where(eq(reports.id, reportId))
    .get();
  if (!report) throw new NotFound('report_not_found');
  const itemIds = deps.db
    .select({ itemId: reportUrls.itemId })
    .from(reportUrls)
    .where(eq(reportUrls.reportId, reportId))
    .all()
    .map((r) => r.itemId);
  const now = deps.now();
  auditedTransaction(deps.db, (tx) =>
    recordAuditEvent(tx, auditKey(deps.config), {
      at: now,
      actor: userActor(userId),
      action: 'report.contact_view',
      objectType: 'report',
      objectId: reportId,
      details: { hasContact: report.sealed !== null },
      about: [...new Set(itemIds)].map((id) => ({ type: 'item', id })),
    }),
  );
  const key = deriveIntakeKeys(deps.config.secretKey, deps.config.hashKey).contact;
  return { contact: report.sealed === null ? null : open(key, report.sealed, contactPlace(reportId)) };
}
