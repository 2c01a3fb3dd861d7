import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { analystLanguages } from '../../auth/languages.ts';
import { roles } from '../../auth/roles.ts';

/** Analyst accounts. Secrets are stored only as an argon2id hash (password) or sealed (TOTP). */
export const users = sqliteTable('users', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  username: text('username').notNull().unique(),
  role: text('role', { enum: roles }).notNull(),
  /** argon2id PHC string; it carries its own parameters. */
  passwordHash: text('password_hash').notNull(),
  /** The base32 TOTP secret, sealed with AES-256-GCM under the `totp-secret` key. */
  totpSecretSealed: text('totp_secret_sealed').notNull(),
  /** The last TOTP time step accepted: a code for this step or an earlier one is refused (no replay). */
  totpLastStep: integer('totp_last_step'),
  /** Consecutive failed logins; reset by a successful login or a reset. */
  failedLogins: integer('failed_logins').notNull().default(0),
  lockedUntil: integer('locked_until'),
  disabledAt: integer('disabled_at'),
  /** Set for accounts an admin created or reset through the API: the first sign-in must choose a new password. */
  mustChangePassword: integer('must_change_password', { mode: 'boolean' }).notNull().default(false),
  /** The workspace language the analyst chose, kept on the account so every device shows it; null until chosen. */
  language: text('language', { enum: analystLanguages }),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/** Live sessions. Only the SHA-256 of the session id is stored, so a copy of the table logs nobody in. */
export const sessions = sqliteTable(
  'sessions',
  {
    idHash: text('id_hash').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: integer('created_at').notNull(),
    lastSeenAt: integer('last_seen_at').notNull(),
  },
  (t) => [index('sessions_user').on(t.userId)],
);
