import { eq } from 'drizzle-orm';
import { userActor } from '../audit/chain.ts';
import { recordAuditEvent } from '../audit/record.ts';
import { open } from '../crypto/seal.ts';
import type { Tx } from '../db/client.ts';
import { users } from '../db/schema/auth.ts';
import { afterFailedLogin, isLocked } from './lockout.ts';
import { verifyNothing, verifyPassword } from './passwords.ts';
import type { LoginInput } from './schema.ts';
import { endSession, startSession } from './sessions.ts';
import { acceptTotp } from './totp.ts';
import { type AuthDeps, findUserByUsername, totpSecretKey, type UserRow } from './users.ts';

export type LoginResult =
  | { ok: true; token: string; user: { id: number; username: string; role: UserRow['role'] } }
  | { ok: false };

type FailureReason = 'unknown_user' | 'disabled' | 'locked' | 'password' | 'totp';

/**
 * Checks username, password and TOTP code and starts a new session. Every failure looks the same
 * to the caller, and an unknown username costs the same argon2 work as a known one. The session
 * the client presented before (if any) is ended: a login always gets a fresh id.
 */
export async function login(deps: AuthDeps, input: LoginInput, previousToken?: string): Promise<LoginResult> {
  const known = findUserByUsername(deps.db, input.username);
  const passwordOk = known
    ? await verifyPassword(known.passwordHash, input.password)
    : await verifyNothing(input.password);
  const now = deps.now();
  return deps.db.transaction((tx): LoginResult => {
    // Read again inside the transaction: a concurrent login may have used the code or locked the account.
    const user = known && tx.select().from(users).where(eq(users.id, known.id)).get();
    if (!user) return fail(tx, now, undefined, 'unknown_user');
    if (user.disabledAt !== null) return fail(tx, now, user, 'disabled');
    if (isLocked(user, now)) return fail(tx, now, user, 'locked', deps.config.auth.lockoutMs);
    if (!passwordOk) return fail(tx, now, user, 'password', deps.config.auth.lockoutMs);
    const step = acceptTotp(open(totpSecretKey(deps), user.totpSecretSealed), input.totp, now, user.totpLastStep);
    if (step === undefined) return fail(tx, now, user, 'totp', deps.config.auth.lockoutMs);

    tx.update(users).set({ totpLastStep: step, failedLogins: 0, lockedUntil: null }).where(eq(users.id, user.id)).run();
    if (previousToken) endSession(tx, previousToken);
    const token = startSession(tx, user.id, now);
    recordAuditEvent(tx, {
      at: now,
      actor: userActor(user.id),
      action: 'session.login',
      objectType: 'user',
      objectId: user.id,
    });
    return { ok: true, token, user: { id: user.id, username: user.username, role: user.role } };
  });
}

/** Records the failure (and, with `lockoutMs`, counts it towards a lock). */
function fail(tx: Tx, now: number, user: UserRow | undefined, reason: FailureReason, lockoutMs?: number): LoginResult {
  const details: { reason: FailureReason; locked?: boolean } = { reason };
  if (user && lockoutMs !== undefined) {
    const state = afterFailedLogin(user, now, lockoutMs);
    tx.update(users).set(state).where(eq(users.id, user.id)).run();
    if (state.lockedUntil !== null) details.locked = true;
  }
  // The typed username is not recorded: it is sometimes a password typed into the wrong field.
  recordAuditEvent(tx, {
    at: now,
    actor: 'system',
    action: 'session.login_failed',
    objectType: 'user',
    objectId: user?.id ?? null,
    details,
  });
  return { ok: false };
}

/** Ends the session `token` of `userId` and records it. */
export function logout(deps: AuthDeps, userId: number, token: string): void {
  const now = deps.now();
  deps.db.transaction((tx) => {
    endSession(tx, token);
    recordAuditEvent(tx, {
      at: now,
      actor: userActor(userId),
      action: 'session.logout',
      objectType: 'user',
      objectId: userId,
    });
  });
}
