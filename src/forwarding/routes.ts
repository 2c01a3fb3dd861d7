import { type Request, Router } from 'express';
import { currentUser } from '../auth/guard.ts';
import { positiveIdSchema } from '../auth/schema.ts';
import type { AppDeps } from '../deps.ts';
import { NotFound } from '../errors.ts';
import { parseOrFail } from '../http/validation.ts';
import { destinationPatchSchema, listDestinations, updateDestination } from './directory.ts';
import { forwardPatchSchema, outbox, outboxQuerySchema, updateForward } from './forwards.ts';

function idParam(req: Request, missing: string): number {
  const id = positiveIdSchema.safeParse(req.params.id);
  if (!id.success) throw new NotFound(missing);
  return id.data;
}

/** The directory of receivers and the outbox of forwards (roles in src/auth/policy.ts). */
export function forwardingRoutes(deps: AppDeps): Router {
  const router = Router();

  router.get('/destinations', (_req, res) => {
    res.json({ destinations: listDestinations(deps.db) });
  });

  router.patch('/destinations/:id', (req, res) => {
    const id = idParam(req, 'destination_not_found');
    const patch = parseOrFail(destinationPatchSchema, req.body);
    res.json({ destination: updateDestination(deps, currentUser(res).userId, id, patch) });
  });

  router.get('/forwards', (req, res) => {
    res.json(outbox(deps.db, deps.config, parseOrFail(outboxQuerySchema, req.query), deps.now()));
  });

  router.patch('/forwards/:id', (req, res) => {
    const id = idParam(req, 'forward_not_found');
    const patch = parseOrFail(forwardPatchSchema, req.body);
    res.json({ forward: updateForward(deps, currentUser(res).userId, id, patch) });
  });

  return router;
}
