import type { Express } from 'express';
import { guardedApiRouter } from '../../src/auth/api-router.ts';
import { apiPrefix } from '../../src/auth/policy.ts';

export interface FoundRoute {
  method: string;
  /** The full path, or a description when the route path is not a plain string. */
  path: string;
  /** Whether the request reaches this route only after passing the API guard. */
  guarded: boolean;
}

interface LayerLike {
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: LayerLike[] } & Record<symbol, unknown>;
  rawPath?: unknown;
}

const join = (prefix: string, path: string) => `${prefix}/${path}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');

/**
 * Every route of an Express 5 app (app.router.stack, layer.route, nested routers via
 * layer.handle.stack), in the order Express tries them. Once the walk has passed the guarded API
 * router, every later route is behind its guard: Express runs layers in this same order.
 */
export function listRoutes(app: Express): FoundRoute[] {
  const found: FoundRoute[] = [];
  let guardPassed = false;
  const walk = (stack: LayerLike[], prefix: string) => {
    for (const layer of stack) {
      const mount = typeof layer.rawPath === 'string' ? layer.rawPath : `<${String(layer.rawPath)}>`;
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const path of paths) {
          const full = typeof path === 'string' ? join(prefix, path) : `${prefix}<${String(path)}>`;
          for (const method of Object.keys(layer.route.methods)) {
            found.push({ method: method === '_all' ? 'ALL' : method.toUpperCase(), path: full, guarded: guardPassed });
          }
        }
      } else if (layer.handle?.stack) {
        const mountedAt = join(prefix, mount);
        if (layer.handle[guardedApiRouter] && mountedAt === apiPrefix) guardPassed = true;
        walk(layer.handle.stack, mountedAt);
      }
    }
  };
  walk((app as unknown as { router: { stack: LayerLike[] } }).router.stack, '/');
  return found;
}

/** The routes that serve the JSON API (case-insensitively, as Express matches). */
export function listApiRoutes(app: Express): FoundRoute[] {
  return listRoutes(app).filter((r) => r.path.toLowerCase().startsWith(apiPrefix));
}
