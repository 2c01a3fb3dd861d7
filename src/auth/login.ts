import { eq } from 'drizzle-orm';
import { auditKey, userActor } from '../audit/chain.ts';
import { auditedTransaction, recordAuditEvent } from '../audit/record.ts';
import { open } from '../crypto/seal.ts';
import type { Tx } from '../db/client.ts';
import { users } from '../db/schema/auth.ts';
import { afterFailedLogin, isLocked } from './lockout.ts';
import { createDummyVerifier, verifyPassword } from './passwords.ts';
import type { LoginInput } from './schema.ts';
import { deleteExpiredSessions, endSession, type OnSessionsEnd, startSession } from './sessions.ts';
import { acceptTotp } from './totp.ts';
import { type AuthDeps, findUserByUsername, totpSecretKey, totpSecretPlace, type UserRow } from './users.ts';

export type LoginResult =
  | {
      ok: true;
      token: string;
      user: {
        id: number;
        username: string;
        role: UserRow['role'];
        mustChangePassword: boolean;
        language: UserRow['language'];
      };
    }
  | { ok: false };

/** Checks credentials and starts a session; `previousToken` is the session the client came with. */
export type Login = (input: LoginInput, previousToken?: string) => Promise<LoginResult>;

type FailureReason = 'unknown_user' | 'disabled' | 'locked' | 'password' | 'totp';

/**
 * The login of one app, created at startup (which prepares the dummy hash for unknown users).
 * It checks username, password and TOTP code and starts a new session. Every failure looks the
 * same to the caller, and an unknown username costs the same argon2 work as a known one. The
 * session the client presented before (if any) is ended: a login always gets a fresh id.
 */
export function createLogin(deps: AuthDeps): Login {
  const verifyNothing = createDummyVerifier();
  const key = auditKey(deps.config);
  const { lockoutMs } = deps.config.auth;
  return async (input, previousToken) => {
    const known = findUserByUsername(deps.db, input.username);
    const passwordOk = known
      ? await verifyPassword(known.passwordHash, input.password)
      : await verifyNothing(input.password);
    const now = deps.now();
    return auditedTransaction(deps.db, (tx): LoginResult => {
      // Read again inside the transaction: a concurrent login may have used the code or locked the account.
      const user = known ? tx.select().from(users).where(eq(users.id, known.id)).get() : undefined;
      // Failures of an enabled account count towards its lock.
      const fail = (reason: FailureReason, counts = true) =>
        recordFailure(tx, key, now, { user, reason, lockoutMs: counts ? lockoutMs : undefined });
      if (!user) return fail('unknown_user');
      if (user.disabledAt !== null) return fail('disabled', false);
      if (isLocked(user, now)) return fail('locked');
      if (!passwordOk) return fail('password');
      const step = acceptTotp(
        open(totpSecretKey(deps), user.totpSecretSealed, totpSecretPlace(user.id)),
        input.totp,
        now,
        user.totpLastStep,
      );
      if (step === undefined) return fail('totp');

      tx.update(users)
        .set({ totpLastStep: step, failedLogins: 0, lockedUntil: null })
        .where(eq(users.id, user.id))
        .run();
      if (previousToken) endSession(tx, previousToken);
      deleteExpiredSessions(tx, now, deps.config.auth);
      const token = startSession(tx, user.id, now);
      recordAuditEvent(tx, key, {
        at: now,
        actor: userActor(user.id),
        action: 'session.login',
        objectType: 'user',
        objectId: user.id,
      });
      const { id, username, role, mustChangePassword, language } = user;
      return { ok: true, token, user: { id, username, role, mustChangePassword, language } };
    });
  };
}

interface Failure {
  user: UserRow | undefined;
  reason: FailureReason;
  /** Given: the failure counts towards locking `user`. */
  lockoutMs: number | undefined;
}

/** Records a failed login and, when it counts, its step towards a lock. */
function recordFailure(tx: Tx, key: Buffer, now: number, { user, reason, lockoutMs }: Failure): LoginResult {
  const details: { reason: FailureReason; locked?: boolean } = { reason };
  if (user && lockoutMs !== undefined) {
    const state = afterFailedLogin(user, now, lockoutMs);
    tx.update(users).set(state).where(eq(users.id, user.id)).run();
    if (state.lockedUntil !== null) details.locked = true;
  }
  // The typed username is not recorded: it is sometimes a password typed into the wrong field.
  recordAuditEvent(tx, key, {
    at: now,
    actor: 'system',
    action: 'session.login_failed',
    objectType: 'user',
    objectId: user?.id ?? null,
    details,
  });
  return { ok: false };
}

/** Ends the session `token` of `userId`, and what `onSessionsEnd` ends with it, and records it. */
export function logout(deps: AuthDeps, userId: number, token: string, onSessionsEnd?: OnSessionsEnd): void {
  const now = deps.now();
  auditedTransaction(deps.db, (tx) => {
    endSession(tx, token);
    onSessionsEnd?.(tx, userId, now, 'sign_out');
    recordAuditEvent(tx, auditKey(deps.config), {
      at: now,
      actor: userActor(userId),
      action: 'session.logout',
      objectType: 'user',
      objectId: userId,
    });
  });
}
