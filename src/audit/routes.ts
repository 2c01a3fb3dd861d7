import { Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import { parseOrFail } from '../auth/validate.ts';
import { listAuditEvents } from './queries.ts';

const pageSize = 50;

const auditQuerySchema = z.object({
  /** `type` or `type:id`, e.g. `user:12`; absent: every event. */
  object: z
    .string()
    .regex(/^[a-z][a-z_]{0,31}(:[A-Za-z0-9._:-]{1,128})?$/)
    .optional(),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
});

/** GET /api/v1/audit?object=type:id&page=N: audit events, newest first. */
export function auditRoutes(deps: AppDeps): Router {
  const router = Router();
  router.get('/audit', (req, res) => {
    const query = parseOrFail(auditQuerySchema, req.query);
    const [objectType, ...id] = query.object?.split(':') ?? [];
    const objectId = id.length > 0 ? id.join(':') : undefined;
    res.json(listAuditEvents(deps.db, { objectType, objectId, page: query.page, pageSize }));
  });
  return router;
}
