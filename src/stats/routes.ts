import { Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../deps.ts';
import { parseOrFail } from '../http/validation.ts';
import { statisticsCsv } from './csv.ts';
import { periodOfDays } from './period.ts';
import { periodStatistics } from './statistics.ts';

export const statsQuerySchema = z.strictObject({
  from: z.string(),
  to: z.string(),
  format: z.enum(['json', 'csv']).default('json'),
});

/** GET /api/v1/stats?from=YYYY-MM-DD&to=YYYY-MM-DD[&format=csv]: the figures of those days (both included). */
export function statsRoutes(deps: AppDeps): Router {
  const router = Router();
  router.get('/stats', (req, res) => {
    const query = parseOrFail(statsQuerySchema, req.query);
    const period = periodOfDays(query.from, query.to);
    const stats = periodStatistics(deps.db, period);
    if (query.format === 'json') {
      res.json(stats);
      return;
    }
    res.attachment(`hotline-stats-${stats.period.from}-${stats.period.to}.csv`);
    res.type('text/csv; charset=utf-8').send(statisticsCsv(stats));
  });
  return router;
}
