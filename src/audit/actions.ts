/**
 * The closed list of audited actions. A new kind of change gets its action added here (by the issue
 * that adds the change); recordAuditEvent refuses anything not listed.
 */
export const auditActions = [
  'session.login',
  'session.login_failed',
  'session.logout',
  'user.create',
  'user.disable',
  'user.enable',
  'user.role_change',
  'user.reset',
  'user.unlock',
  'user.password_change',
  'user.language_change',
  'item.view',
  'item.claim',
  'item.release',
  'item.skip',
  'item.requeue',
  'assessment.create',
  'assessment.confirm',
  'assessment.dispute',
  'media.view',
  'media.view_time',
  'settings.change',
  'bank.create',
  'bank.import',
  'bank.enable',
  'bank.disable',
  'bank.entry_enable',
  'bank.entry_disable',
  'report.contact_view',
  'retention.purge',
  'destination.create',
  'destination.update',
  'forward.create',
  'forward.update',
  'forward.sent',
  'forward.delivery_failed',
  'forward.reminder',
  'export.create',
  'key.rotate',
] as const;
export type AuditAction = (typeof auditActions)[number];

export function isAuditAction(value: string): value is AuditAction {
  return (auditActions as readonly string[]).includes(value);
}
