import { createHash, createHmac, randomBytes } from 'node:crypto';
import { eq, lte, or } from 'drizzle-orm';
import type { Config } from '../config.ts';
import { secretsEqual } from '../crypto/constant-time.ts';
import { deriveKey } from '../crypto/seal.ts';
import type { Db, Tx } from '../db/client.ts';
import { sessions, users } from '../db/schema/auth.ts';
import type { AnalystLanguage } from './languages.ts';
import type { Role } from './roles.ts';

export type SessionTimeouts = Pick<Config['auth'], 'sessionIdleMs' | 'sessionAbsoluteMs'>;

/** The user behind a live session, as the rest of the API sees them. */
export interface SessionUser {
  userId: number;
  username: string;
  role: Role;
  /** The session id as presented in the cookie; needed for the CSRF token and for logout. */
  token: string;
  /** Until the account chose its own password, the session reaches only the routes that let it do so. */
  mustChangePassword: boolean;
  /** The workspace language kept on the account; null until the analyst chooses one. */
  language: AnalystLanguage | null;
}

/**
 * What else ends with an analyst's sessions, in the same transaction: at sign-out, or when an admin
 * disables the account. The app wires it (review releases the analyst's claims): auth knows nothing
 * of the domains that use it.
 */
export type OnSessionsEnd = (tx: Tx, userId: number, now: number, why: 'sign_out' | 'disabled') => void;

/** 256 random bits; base64url so it sits in a cookie unescaped. */
export const newSessionToken = (): string => randomBytes(32).toString('base64url');
export const isWellFormedSessionToken = (value: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(value);

/** Only this hash is stored: a leaked sessions table gives no usable cookie. */
export const hashSessionToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export function sessionExpired(
  session: { createdAt: number; lastSeenAt: number },
  now: number,
  timeouts: SessionTimeouts,
): boolean {
  return now - session.lastSeenAt >= timeouts.sessionIdleMs || now - session.createdAt >= timeouts.sessionAbsoluteMs;
}

/** Stores a new session for `userId` and returns its id (the cookie value). */
export function startSession(tx: Tx, userId: number, now: number): string {
  const token = newSessionToken();
  tx.insert(sessions)
    .values({ idHash: hashSessionToken(token), userId, createdAt: now, lastSeenAt: now })
    .run();
  return token;
}

export function endSession(tx: Tx, token: string): void {
  tx.delete(sessions)
    .where(eq(sessions.idHash, hashSessionToken(token)))
    .run();
}

export function endUserSessions(tx: Tx, userId: number): void {
  tx.delete(sessions).where(eq(sessions.userId, userId)).run();
}

/**
 * Deletes every session past its idle or absolute limit (the same rule as sessionExpired). A session
 * nobody presents again is never seen by resumeSession, so logins sweep them; the table holds only
 * the few live sessions of the team, so the scan is cheap.
 */
export function deleteExpiredSessions(tx: Tx, now: number, timeouts: SessionTimeouts): void {
  tx.delete(sessions)
    .where(
      or(
        lte(sessions.lastSeenAt, now - timeouts.sessionIdleMs),
        lte(sessions.createdAt, now - timeouts.sessionAbsoluteMs),
      ),
    )
    .run();
}

/**
 * The user of a live session, or undefined. A session past its idle or absolute limit, or whose
 * user is disabled, is deleted on sight; a live one has its idle clock restarted.
 */
export function resumeSession(db: Db, token: string, now: number, timeouts: SessionTimeouts): SessionUser | undefined {
  if (!isWellFormedSessionToken(token)) return undefined;
  const idHash = hashSessionToken(token);
  const row = db
    .select({
      userId: sessions.userId,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
      username: users.username,
      role: users.role,
      disabledAt: users.disabledAt,
      mustChangePassword: users.mustChangePassword,
      language: users.language,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.idHash, idHash))
    .get();
  if (!row) return undefined;
  if (row.disabledAt !== null || sessionExpired(row, now, timeouts)) {
    db.delete(sessions).where(eq(sessions.idHash, idHash)).run();
    return undefined;
  }
  db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.idHash, idHash)).run();
  const { userId, username, role, mustChangePassword, language } = row;
  return { userId, username, role, token, mustChangePassword, language };
}

/** The key of the CSRF tokens; the guard and the session routes both derive it here. */
export const csrfKey = (config: Pick<Config, 'secretKey'>): Buffer => deriveKey(config.secretKey, 'csrf');

/** The CSRF token of a session: an HMAC of its id, so it needs no storage and dies with the session. */
export function csrfTokenFor(csrfKey: Buffer, token: string): string {
  return createHmac('sha256', csrfKey).update(token).digest('base64url');
}

export function csrfTokenMatches(csrfKey: Buffer, token: string, presented: string | undefined): boolean {
  if (!presented) return false;
  return secretsEqual(presented, csrfTokenFor(csrfKey, token));
}
