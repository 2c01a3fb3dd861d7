import type { Db } from '../db/client.ts';
import { buildStatistics, type Statistics } from './figures.ts';
import { type ForwardFigures, forwardFigures } from './forwards.ts';
import type { Period } from './period.ts';
import { statsRows } from './queries.ts';

export type PeriodStatistics = Statistics & ForwardFigures;

/** Every figure of `period`, read in one snapshot. */
export function periodStatistics(db: Db, period: Period): PeriodStatistics {
  return db.transaction((tx) => ({ ...buildStatistics(period, statsRows(tx, period)), ...forwardFigures(tx, period) }));
}
