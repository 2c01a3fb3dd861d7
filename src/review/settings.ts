import { z } from 'zod';
import { type AuditActor, auditKey } from '../audit/chain.ts';
import { auditedTransaction, recordAuditEvent } from '../audit/record.ts';
import type { Config } from '../config.ts';
import type { DbOrTx } from '../db/client.ts';
import { reviewSettings } from '../db/schema/review.ts';
import type { AppDeps } from '../deps.ts';
import { thresholdSchema, thresholdSettingKeys } from '../triage/match-thresholds.ts';

/** A whole number from `min` to `max`; anything else is refused with `message` (a catalogue key naming the range). */
const wholeNumber = (min: number, max: number, message: string) =>
  z.number({ error: message }).int(message).min(min, message).max(max, message);

/** What an admin may change at run time; the configuration gives the defaults (src/config.ts `review`). */
export const settingsSchema = z.strictObject({
  exposureLimitMinutes: wholeNumber(1, 24 * 60, 'error.settings.exposure_limit'),
  statusDelayHours: wholeNumber(0, 720, 'error.settings.status_delay'),
  statusDelayRandomHours: wholeNumber(0, 720, 'error.settings.status_delay'),
  analystsMayConfirm: z.boolean(),
  /** Views blurred less than this level (0 none .. 5 strongest) count towards the exposure limit. */
  exposureBlurLevel: wholeNumber(1, 5, 'error.settings.blur_level'),
  /** Triage's bank matching distances (src/triage/match-thresholds.ts reads them for each item). */
  [thresholdSettingKeys.pdq]: thresholdSchema('pdq', 'error.settings.match_distance'),
  [thresholdSettingKeys.blockhash]: thresholdSchema('blockhash', 'error.settings.match_distance'),
});
export type ReviewSettings = z.output<typeof settingsSchema>;
export const settingsChangeSchema = settingsSchema.partial().refine((change) => Object.keys(change).length > 0, {
  path: ['body'],
  message: 'error.settings.empty',
});

/** The configured defaults: src/config.ts `review`, and the match distances of `matching`. */
function defaultSettings(config: Pick<Config, 'review' | 'matching'>): ReviewSettings {
  const { thresholds } = config.matching;
  return settingsSchema.parse(
    pickSettings({
      ...config.review,
      [thresholdSettingKeys.pdq]: thresholds.pdq,
      [thresholdSettingKeys.blockhash]: thresholds.blockhash,
    }),
  );
}

/** The settings in force: each stored value over its configured default. */
export function readSettings(db: DbOrTx, config: Pick<Config, 'review' | 'matching'>): ReviewSettings {
  const defaults = defaultSettings(config);
  const stored: Record<string, unknown> = {};
  for (const row of db.select().from(reviewSettings).all()) stored[row.key] = JSON.parse(row.value);
  // A stored value that no longer fits the schema (an older version's) falls back to its default.
  const valid = settingsSchema.partial().safeParse(pickSettings(stored));
  return { ...defaults, ...(valid.success ? valid.data : {}) };
}

function pickSettings(source: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(settingsSchema.shape).flatMap((k) => (k in source ? [[k, source[k]]] : [])));
}

/** Stores the changed settings and audits each change, with its old and new value, in one transaction. */
export function changeSettings(
  deps: Pick<AppDeps, 'db' | 'config' | 'now'>,
  actor: AuditActor,
  userId: number,
  change: Partial<ReviewSettings>,
): ReviewSettings {
  const now = deps.now();
  return auditedTransaction(deps.db, (tx) => {
    const before = readSettings(tx, deps.config);
    for (const [key, value] of Object.entries(change)) {
      const old = before[key as keyof ReviewSettings];
      if (value === undefined || value === old) continue;
      const row = { key, value: JSON.stringify(value), updatedAt: now, updatedBy: userId };
      tx.insert(reviewSettings).values(row).onConflictDoUpdate({ target: reviewSettings.key, set: row }).run();
      recordAuditEvent(tx, auditKey(deps.config), {
        at: now,
        actor,
        action: 'settings.change',
        objectType: 'setting',
        objectId: key,
        details: { from: old, to: value },
      });
    }
    return readSettings(tx, deps.config);
  });
}
