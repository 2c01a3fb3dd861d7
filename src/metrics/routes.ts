import { sql } from 'drizzle-orm';
import { type Request, Router } from 'express';
import { readSessionCookie } from '../auth/session-cookie.ts';
import { resumeSession } from '../auth/sessions.ts';
import { secretsEqual } from '../crypto/constant-time.ts';
import type { AppDeps } from '../deps.ts';
import { Forbidden, Unauthorized } from '../errors.ts';
import { oldestDueJobSeconds } from './collect.ts';
import { createMetrics } from './registry.ts';

/** A job due longer than this with none taking it means the worker is stuck, stopped or overrun. */
const staleJobSeconds = 15 * 60;
/** The workers poll every half second: a heartbeat older than this means their loop is stuck or gone. */
export const staleHeartbeatMs = 60_000;

/**
 * `/metrics` for a scraper holding HOTLINE_METRICS_TOKEN or a signed-in admin; `/healthz` for anyone.
 * `idleJobTypes`: the job types no worker takes under this configuration (left out of the oldest due job).
 */
export function healthRoutes(deps: AppDeps, idleJobTypes: readonly string[] = []): Router {
  const metrics = createMetrics(deps.db, deps.now);
  const router = Router();

  const mayReadMetrics = (req: Request): boolean => {
    const bearer = /^Bearer (\S+)$/.exec(req.get('authorization') ?? '')?.[1];
    if (bearer !== undefined) {
      if (deps.config.metricsToken && secretsEqual(bearer, deps.config.metricsToken)) return true;
      throw new Unauthorized();
    }
    const token = readSessionCookie(req);
    const user = token ? resumeSession(deps.db, token, deps.now(), deps.config.auth) : undefined;
    if (!user) throw new Unauthorized();
    if (user.role !== 'admin') throw new Forbidden();
    return true;
  };

  router.get('/metrics', async (req, res) => {
    mayReadMetrics(req);
    const body = await metrics.scrape();
    res.set('Cache-Control', 'no-store').type(metrics.contentType).send(body);
  });

  // Public, for load balancers and uptime checks: states and an age, no counts.
  router.get('/healthz', (_req, res) => {
    deps.db.get(sql`select 1`);
    const now = deps.now();
    const heartbeat = deps.workerHeartbeat?.();
    const worker =
      heartbeat === undefined
        ? 'elsewhere'
        : heartbeat !== null && now - heartbeat <= staleHeartbeatMs
          ? 'running'
          : 'stopped';
    const oldest = oldestDueJobSeconds(deps.db, now, idleJobTypes);
    const status = worker === 'stopped' || oldest > staleJobSeconds ? 'degraded' : 'ok';
    res.set('Cache-Control', 'no-store').json({ status, worker, oldestDueJobSeconds: oldest });
  });
  return router;
}
