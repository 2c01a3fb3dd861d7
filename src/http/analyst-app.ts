import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type RequestHandler, Router } from 'express';
import { HttpError } from './errors.ts';

/** Where `npm run build:ui` writes the analyst app (analyst-ui/vite.config.ts). */
export const analystDistDir = fileURLToPath(new URL('../../analyst-ui/dist', import.meta.url));

export const analystPath = '/analyst';

const notBuilt = () => new HttpError(503, 'analyst_app_not_built', 'error.analyst_app_not_built');

/**
 * Serves the built analyst app at /analyst/ under the same strict headers as every page. Asset
 * names carry a content hash, so they are cached for good; index.html is checked every time, so a
 * new build is picked up at once. The app itself talks to /api/v1 only.
 */
export function analystApp(distDir = analystDistDir): Router {
  const router = Router({ strict: true });
  const files = express.static(distDir, {
    index: 'index.html',
    redirect: false,
    fallthrough: true,
    setHeaders: (res, path) => {
      const hashed = path.startsWith(join(distDir, 'assets'));
      res.setHeader('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const built: RequestHandler = (_req, _res, next) =>
    next(existsSync(join(distDir, 'index.html')) ? undefined : notBuilt());

  router.get(analystPath, (_req, res) => res.redirect(301, `${analystPath}/`));
  router.use(`${analystPath}/`, built, files);
  return router;
}
