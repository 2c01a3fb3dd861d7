import { inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Config } from '../config.ts';
import type { DbOrTx } from '../db/client.ts';
import { preparedOnce } from '../db/prepared.ts';
import { reviewSettings } from '../db/schema/review.ts';
import { type PerceptualSignalTypeName, perceptualSignalTypes } from '../signals/types/index.ts';

/** How far (differing bits) a perceptual hash may be from a bank entry's and still match, by type. */
export type MatchThresholds = Config['matching']['thresholds'];

/** The settings key of each type's match distance (stored in review_settings, changed by admins). */
export const thresholdSettingKeys = {
  pdq: 'pdqThreshold',
  blockhash: 'blockhashThreshold',
} as const satisfies Record<PerceptualSignalTypeName, string>;

/**
 * A valid match distance for a type: a whole number from 0 to half its bits (further than that, two
 * unrelated hashes are as near as chance makes them). `message` is the catalogue key for a bad value.
 */
export function thresholdSchema(name: PerceptualSignalTypeName, message: string) {
  const bits = perceptualSignalTypes.find((type) => type.name === name)?.bits ?? 0;
  return z
    .number({ error: message })
    .int(message)
    .min(0, message)
    .max(bits / 2, message);
}

const storedThresholds = preparedOnce((db) =>
  db
    .select({ key: reviewSettings.key, value: reviewSettings.value })
    .from(reviewSettings)
    .where(inArray(reviewSettings.key, Object.values(thresholdSettingKeys)))
    .prepare(),
);

/**
 * The match distances in force: each stored setting over the configured default
 * (HOTLINE_PDQ_THRESHOLD, HOTLINE_BLOCKHASH_THRESHOLD). One prepared query: triage reads it once per
 * item, not per medium. A stored value that no longer fits (an older version's) counts as unset.
 */
export function readMatchThresholds(db: DbOrTx, defaults: MatchThresholds): MatchThresholds {
  const stored = new Map(
    storedThresholds(db)
      .all()
      .map((row) => [row.key, row.value]),
  );
  const thresholds = { ...defaults };
  for (const type of perceptualSignalTypes) {
    const text = stored.get(thresholdSettingKeys[type.name]);
    if (text === undefined) continue;
    const parsed = thresholdSchema(type.name, 'invalid').safeParse(JSON.parse(text));
    if (parsed.success) thresholds[type.name] = parsed.data;
  }
  return thresholds;
}
