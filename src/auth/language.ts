import { eq } from 'drizzle-orm';
import { auditKey, userActor } from '../audit/chain.ts';
import { auditedTransaction, recordAuditEvent } from '../audit/record.ts';
import { users } from '../db/schema/auth.ts';
import type { AnalystLanguage } from './languages.ts';
import type { AuthDeps } from './users.ts';

/**
 * The signed-in analyst's workspace language, kept on the account so every device shows it.
 * Audited with the old and new value; choosing the language already kept changes nothing.
 */
export function changeOwnLanguage(deps: AuthDeps, userId: number, language: AnalystLanguage): void {
  const now = deps.now();
  auditedTransaction(deps.db, (tx) => {
    const before = tx.select({ language: users.language }).from(users).where(eq(users.id, userId)).get();
    if (!before || before.language === language) return;
    tx.update(users).set({ language, updatedAt: now }).where(eq(users.id, userId)).run();
    recordAuditEvent(tx, auditKey(deps.config), {
      at: now,
      actor: userActor(userId),
      action: 'user.language_change',
      objectType: 'user',
      objectId: userId,
      details: { from: before.language, to: language },
    });
  });
}
