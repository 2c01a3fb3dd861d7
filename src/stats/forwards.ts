import type { DbOrTx } from '../db/client.ts';
import type { Period } from './period.ts';

/**
 * Forwards by destination type and country, and the time to removal (median, share removed within
 * 3 and 7 days), are read from the forwards table of issue 11. This branch has no such table yet,
 * so there is nothing to count: null says "not recorded", where zeros would say "none sent".
 */
export interface ForwardFigures {
  forwards: null;
  timeToRemoval: null;
}

export function forwardFigures(_db: DbOrTx, _period: Period): ForwardFigures {
  return { forwards: null, timeToRemoval: null };
}
