import { and, count, eq, getTableName, isNull } from 'drizzle-orm';
import { type AuditActor, auditKey } from '../audit/chain.ts';
import { auditedTransaction, recordAuditEvent } from '../audit/record.ts';
import type { Config } from '../config.ts';
import { deriveKey, type SealedPlace, seal } from '../crypto/seal.ts';
import type { DbOrTx, Tx } from '../db/client.ts';
import { users } from '../db/schema/auth.ts';
import type { AppDeps } from '../deps.ts';
import { Conflict, Invalid, NotFound } from '../errors.ts';
import { unlocked } from './lockout.ts';
import { type Argon2Cost, hashPassword, passwordProblem } from './passwords.ts';
import type { NewUser, UserChange } from './schema.ts';
import { endUserSessions, type OnSessionsEnd } from './sessions.ts';
import { newTotpSecret, totpUri } from './totp.ts';

export type AuthDeps = Pick<AppDeps, 'db' | 'config' | 'now'>;
/** Tests pass a lower argon2 cost to stay fast; production code never does. */
export interface HashOptions {
  argon2Cost?: Argon2Cost;
}
/** An account an admin made through the API gets a password it did not choose: it must change it at first sign-in. */
export interface CreateOptions extends HashOptions {
  mustChangePassword?: boolean;
}

export type UserRow = typeof users.$inferSelect;

export interface UserView {
  id: number;
  username: string;
  role: UserRow['role'];
  disabled: boolean;
  lockedUntil: string | null;
  createdAt: string;
}

/** What a new or reset account needs to set up its authenticator; shown once, never stored in clear. */
export interface Enrolment {
  user: UserView;
  totpSecret: string;
  otpauthUri: string;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const toView = (row: UserRow): UserView => ({
  id: row.id,
  username: row.username,
  role: row.role,
  disabled: row.disabledAt !== null,
  lockedUntil: iso(row.lockedUntil),
  createdAt: new Date(row.createdAt).toISOString(),
});

export const totpSecretKey = (deps: { config: Pick<Config, 'secretKey'> }) =>
  deriveKey(deps.config.secretKey, 'totp-secret');
/** Where a user's TOTP secret is sealed: it opens only in that user's row. */
export const totpSecretPlace = (userId: number): SealedPlace => ({
  table: getTableName(users),
  column: users.totpSecretSealed.name,
  rowId: userId,
});
const sealTotpSecret = (deps: Pick<AuthDeps, 'config'>, userId: number, secret: string) =>
  seal(totpSecretKey(deps), secret, totpSecretPlace(userId));

const countUsers = (db: DbOrTx): number => db.select({ n: count() }).from(users).get()?.n ?? 0;
export const listUsers = (db: DbOrTx): UserView[] => db.select().from(users).orderBy(users.username).all().map(toView);
export const findUserByUsername = (db: DbOrTx, username: string): UserRow | undefined =>
  db.select().from(users).where(eq(users.username, username)).get();

/** New credentials for `username`: the password checked and hashed, a fresh TOTP secret (sealed once the row is known). */
async function newCredentials(username: string, password: string, options: HashOptions) {
  const problem = passwordProblem(password, username);
  if (problem) throw new Invalid({ password: problem });
  const totpSecret = newTotpSecret();
  return {
    totpSecret,
    passwordHash: await hashPassword(password, options.argon2Cost),
  };
}

export async function createUser(
  deps: AuthDeps,
  actor: AuditActor,
  input: NewUser,
  options: CreateOptions = {},
): Promise<Enrolment> {
  const { totpSecret, ...secrets } = await newCredentials(input.username, input.password, options);
  const mustChangePassword = options.mustChangePassword ?? false;
  const now = deps.now();
  const row = auditedTransaction(deps.db, (tx) => {
    if (findUserByUsername(tx, input.username)) throw new Conflict('username_taken');
    const created = tx
      .insert(users)
      // The secret is sealed to the row's id, which exists only once the row does.
      .values({
        username: input.username,
        role: input.role,
        ...secrets,
        totpSecretSealed: '',
        mustChangePassword,
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get();
    created.totpSecretSealed = sealTotpSecret(deps, created.id, totpSecret);
    tx.update(users).set({ totpSecretSealed: created.totpSecretSealed }).where(eq(users.id, created.id)).run();
    recordAuditEvent(tx, auditKey(deps.config), {
      at: now,
      actor,
      action: 'user.create',
      objectType: 'user',
      objectId: created.id,
      details: { role: created.role, mustChangePassword },
    });
    return created;
  });
  return { user: toView(row), totpSecret, otpauthUri: totpUri(totpSecret, row.username) };
}

function activeAdmins(tx: Tx): number {
  return (
    tx
      .select({ n: count() })
      .from(users)
      .where(and(eq(users.role, 'admin'), isNull(users.disabledAt)))
      .get()?.n ?? 0
  );
}

function requireUser(db: DbOrTx, id: number): UserRow {
  const user = db.select().from(users).where(eq(users.id, id)).get();
  if (!user) throw new NotFound();
  return user;
}

/**
 * Disables or enables an account and/or changes its role. Disabling ends its sessions at once, and
 * what `onSessionsEnd` ends with them.
 */
export function updateUser(
  deps: AuthDeps,
  actor: AuditActor,
  id: number,
  change: UserChange,
  onSessionsEnd?: OnSessionsEnd,
): UserView {
  const now = deps.now();
  return auditedTransaction(deps.db, (tx) => {
    const user = requireUser(tx, id);
    const audit = (action: 'user.disable' | 'user.enable' | 'user.role_change', details = {}) =>
      recordAuditEvent(tx, auditKey(deps.config), {
        at: now,
        actor,
        action,
        objectType: 'user',
        objectId: id,
        details,
      });
    const stopsBeingAdmin = change.disabled === true || (change.role !== undefined && change.role !== 'admin');
    if (user.role === 'admin' && user.disabledAt === null && stopsBeingAdmin && activeAdmins(tx) <= 1) {
      throw new Conflict('last_admin');
    }
    const set: Partial<UserRow> = {};
    if (change.disabled === true && user.disabledAt === null) {
      set.disabledAt = now;
      endUserSessions(tx, id);
      onSessionsEnd?.(tx, id, now, 'disabled');
      audit('user.disable');
    } else if (change.disabled === false && user.disabledAt !== null) {
      set.disabledAt = null;
      audit('user.enable');
    }
    if (change.role !== undefined && change.role !== user.role) {
      set.role = change.role;
      audit('user.role_change', { from: user.role, to: change.role });
    }
    if (Object.keys(set).length === 0) return toView(user);
    const changed = { ...set, updatedAt: now };
    tx.update(users).set(changed).where(eq(users.id, id)).run();
    return toView({ ...user, ...changed });
  });
}

/**
 * Ends a lock and the failure streak behind it, leaving password and TOTP as they are: for an
 * owner locked out by someone else's guessing. A no-op (not audited) when there is nothing to end.
 */
export function unlockUser(deps: AuthDeps, actor: AuditActor, id: number): UserView {
  const now = deps.now();
  return auditedTransaction(deps.db, (tx) => {
    const user = requireUser(tx, id);
    if (user.failedLogins === 0 && user.lockedUntil === null) return toView(user);
    const changed = { ...unlocked, updatedAt: now };
    tx.update(users).set(changed).where(eq(users.id, id)).run();
    recordAuditEvent(tx, auditKey(deps.config), {
      at: now,
      actor,
      action: 'user.unlock',
      objectType: 'user',
      objectId: id,
      details: { failedLogins: user.failedLogins, wasLocked: user.lockedUntil !== null && user.lockedUntil > now },
    });
    return toView({ ...user, ...changed });
  });
}

/** A new password and a new TOTP secret; clears any lock and ends every session of the account. */
export async function resetUser(
  deps: AuthDeps,
  actor: AuditActor,
  id: number,
  password: string,
  options: CreateOptions = {},
): Promise<Enrolment> {
  const { username } = requireUser(deps.db, id);
  const { totpSecret, ...secrets } = await newCredentials(username, password, options);
  const now = deps.now();
  const row = auditedTransaction(deps.db, (tx) => {
    const user = requireUser(tx, id);
    endUserSessions(tx, id);
    recordAuditEvent(tx, auditKey(deps.config), {
      at: now,
      actor,
      action: 'user.reset',
      objectType: 'user',
      objectId: id,
    });
    const totpSecretSealed = sealTotpSecret(deps, id, totpSecret);
    const reset = {
      ...secrets,
      totpSecretSealed,
      ...unlocked,
      totpLastStep: null,
      updatedAt: now,
      // A password an admin chose over the API is temporary, as at creation.
      ...(options.mustChangePassword ? { mustChangePassword: true } : {}),
    };
    tx.update(users).set(reset).where(eq(users.id, id)).run();
    return { ...user, ...reset };
  });
  return { user: toView(row), totpSecret, otpauthUri: totpUri(totpSecret, row.username) };
}

/** What `npm start` prints while there is no account at all, or undefined. */
export function firstAdminHint(db: DbOrTx): string | undefined {
  if (countUsers(db) > 0) return undefined;
  return [
    'No analyst account exists yet. Create the first admin (the password is read from stdin):',
    '  npm run -s hotline -- user add NAME --role admin --password-stdin',
    'and add the printed totpSecret (or otpauthUri) to an authenticator app.',
    '',
  ].join('\n');
}
