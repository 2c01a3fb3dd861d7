import express, { type RequestHandler, Router } from 'express';
import type { AppDeps } from '../deps.ts';
import { apiGuard } from './guard.ts';

/** Marks the router that holds the guard; the route-matrix test checks every API route sits behind it. */
export const guardedApiRouter = Symbol.for('hotline.guardedApiRouter');

/** Largest JSON body of a signed-in request. Public routes parse their own bodies, with their own limits. */
const apiBodyLimit = '1mb';

/**
 * The `/api/v1` router: the policy guard (src/auth/policy.ts), then a JSON body parser for
 * signed-in requests, then each domain's router. Mount it at `apiPrefix` before anything else
 * that serves `/api/v1`, so that no API request reaches a route without passing the guard.
 */
export function apiRouter(deps: Pick<AppDeps, 'db' | 'config' | 'now'>, domainRouters: Router[]): Router {
  const router = Router();
  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  router.use(apiGuard(deps));
  router.use(signedInJsonBody());
  for (const domainRouter of domainRouters) router.use(domainRouter);
  Object.defineProperty(router, guardedApiRouter, { value: true });
  return router;
}

function signedInJsonBody(): RequestHandler {
  const parse = express.json({ limit: apiBodyLimit });
  return (req, res, next) => (res.locals.user ? parse(req, res, next) : next());
}
