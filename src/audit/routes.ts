import { Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../deps.ts';
import { pageLimitSchema, parseOrFail, positiveIdSchema } from '../http/validation.ts';
import { listAuditEvents } from './queries.ts';

export const auditQuerySchema = z.strictObject({
  /** `type` or `type:id`, e.g. `user:12`; absent: every event. */
  object: z
    .string()
    .regex(/^[a-z][a-z_]{0,31}(:[A-Za-z0-9._:-]{1,128})?$/)
    .optional(),
  /** The `next` of the previous page; absent: the newest events. */
  before: positiveIdSchema.optional(),
  limit: pageLimitSchema,
});

/** GET /api/v1/audit?object=type:id&before=SEQ&limit=N: audit events, newest first. */
export function auditRoutes(deps: AppDeps): Router {
  const router = Router();
  router.get('/audit', (req, res) => {
    const query = parseOrFail(auditQuerySchema, req.query);
    const [objectType, ...id] = query.object?.split(':') ?? [];
    const objectId = id.length > 0 ? id.join(':') : undefined;
    res.json(listAuditEvents(deps.db, { objectType, objectId, before: query.before, limit: query.limit }));
  });
  return router;
}
