import { Router } from 'express';
import { apiPrefix } from '../auth/policy.ts';
import { buildApiDocument, openApiPath } from './document.ts';

/** GET /api/v1/openapi.json: the document, built once (it only changes with the code). */
export function openApiRoutes(): Router {
  const document = buildApiDocument();
  const router = Router();
  router.get(openApiPath.slice(apiPrefix.length), (_req, res) => {
    res.json(document);
  });
  return router;
}
