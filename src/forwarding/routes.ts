import { type Request, Router } from 'express';
import { z } from 'zod';
import { userActor } from '../audit/chain.ts';
import { currentUser } from '../auth/guard.ts';
import type { AppDeps } from '../deps.ts';
import { NotFound } from '../errors.ts';
import { parseOrFail, positiveIdSchema } from '../http/validation.ts';
import {
  createDestination,
  destinationPatchSchema,
  listDestinations,
  newDestinationSchema,
  updateDestination,
} from './directory.ts';
import { exportFormatSchema, exportSinceSchema, exportTargetSchema, writeExport } from './export/write-export.ts';
import { forwardPatchSchema, outbox, outboxQuerySchema, updateForward } from './forwards.ts';

export const exportQuerySchema = z.strictObject({
  to: exportTargetSchema,
  since: exportSinceSchema,
  format: exportFormatSchema.optional(),
});

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

  router.post('/destinations', (req, res) => {
    const input = parseOrFail(newDestinationSchema, req.body);
    res.status(201).json({ destination: createDestination(deps, currentUser(res).userId, input) });
  });

  router.patch('/destinations/:id', (req, res) => {
    const id = idParam(req, 'destination_not_found');
    const patch = parseOrFail(destinationPatchSchema, req.body);
    res.json({ destination: updateDestination(deps, currentUser(res).userId, id, patch) });
  });

  router.get('/forwards', (req, res) => {
    res.json(outbox(deps.db, deps.config, parseOrFail(outboxQuerySchema, req.query), deps.now()));
  });

  router.get('/exports', async (req, res) => {
    const query = parseOrFail(exportQuerySchema, req.query);
    const day = new Date(deps.now()).toISOString().slice(0, 10);
    res.attachment(`hotline-export-${query.to.replace(':', '-')}-${day}.zip`);
    res.set('Cache-Control', 'no-store');
    await writeExport(deps, query, res, userActor(currentUser(res).userId));
  });

  router.patch('/forwards/:id', (req, res) => {
    const id = idParam(req, 'forward_not_found');
    const patch = parseOrFail(forwardPatchSchema, req.body);
    res.json({ forward: updateForward(deps, currentUser(res).userId, id, patch) });
  });

  return router;
}
