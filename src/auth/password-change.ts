import { and, eq, ne } from 'drizzle-orm';
import { auditKey, userActor } from '../audit/chain.ts';
import { auditedTransaction, recordAuditEvent } from '../audit/record.ts';
import { sessions, users } from '../db/schema/auth.ts';
import { Invalid } from '../errors.ts';
import { type Argon2Cost, hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
import { hashSessionToken } from './sessions.ts';
import type { AuthDeps } from './users.ts';

/**
 * The signed-in user chooses a new password, proving the current one; this also ends the
 * "must change password" state of an account an admin created. Other sessions of the account end.
 */
export async function changeOwnPassword(
  deps: AuthDeps,
  user: { userId: number; username: string; token: string },
  input: { current: string; new: string },
  argon2Cost?: Argon2Cost,
): Promise<void> {
  const row = deps.db.select().from(users).where(eq(users.id, user.userId)).get();
  if (!row || !(await verifyPassword(row.passwordHash, input.current))) {
    throw new Invalid({ current: 'error.password.wrong_current' });
  }
  const problem = passwordProblem(input.new, user.username);
  if (problem) throw new Invalid({ new: problem });
  if (input.new === input.current) throw new Invalid({ new: 'error.password.unchanged' });
  const passwordHash = await hashPassword(input.new, argon2Cost);
  const now = deps.now();
  auditedTransaction(deps.db, (tx) => {
    tx.update(users)
      .set({ passwordHash, mustChangePassword: false, updatedAt: now })
      .where(eq(users.id, user.userId))
      .run();
    const thisSession = hashSessionToken(user.token);
    tx.delete(sessions)
      .where(and(eq(sessions.userId, user.userId), ne(sessions.idHash, thisSession)))
      .run();
    recordAuditEvent(tx, auditKey(deps.config), {
      at: now,
      actor: userActor(user.userId),
      action: 'user.password_change',
      objectType: 'user',
      objectId: user.userId,
    });
  });
}
