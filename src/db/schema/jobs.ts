import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** The durable job table: survives restarts; a job is claimed by locking it until `lockedUntil`. */
export const jobs = sqliteTable(
  'jobs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    type: text('type').notNull(),
    /** JSON. */
    payload: text('payload').notNull(),
    status: text('status', { enum: ['pending', 'running', 'done', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(5),
    availableAt: integer('available_at').notNull(),
    lockedUntil: integer('locked_until'),
    lockedBy: text('locked_by'),
    lastError: text('last_error'),
    /** One job per purpose, e.g. `triage:item:42`: enqueuing twice is a no-op. */
    idempotencyKey: text('idempotency_key').notNull().unique(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('jobs_claim').on(t.status, t.availableAt)],
);
