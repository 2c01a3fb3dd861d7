import { match } from 'path-to-regexp';
import type { Role } from './roles.ts';

/**
 * THE access policy of the JSON API: every `/api/v1` route and the roles allowed on it.
 *
 * How to add an API route (any domain):
 *   1. Write the handler in your domain's router with a path relative to `/api/v1`, e.g.
 *        export function bankRoutes(deps: AppDeps): Router { const r = Router(); r.get('/banks', h); return r; }
 *   2. Add that router to the list in `apiRouter(deps, [...])` in src/app.ts.
 *   3. Add one entry per method and path to `apiPolicy` below, the path exactly as in the router
 *      with `/api/v1` in front.
 *
 * What the guard in front of the domain routers does (src/auth/guard.ts, src/auth/api-router.ts):
 *   - a request that matches no entry is refused with 404, whatever routes exist (deny by default);
 *   - `public`: no session, no CSRF check (the public report form has its own form token); the
 *     route parses its own body with its own limit;
 *   - a list of roles: a live session is required (401 otherwise); a state-changing method (POST,
 *     PUT, PATCH, DELETE) needs the session's `X-CSRF-Token` and a same-origin `Origin` or
 *     `Sec-Fetch-Site` (403); the user's role must be listed (403); the JSON body is parsed up to 1 MB;
 *   - when several entries match one request, all of them must allow it.
 * Handlers find the signed-in user with `currentUser(res)` (src/auth/guard.ts).
 * The guard runs for every path under `/api/v1`, so a router mounted after `apiRouter` in app.ts
 * is guarded too; nothing serving `/api/v1` may be mounted before it.
 * tests/security/route-matrix.test.ts walks the app's routes and fails when one has no entry here,
 * an entry has no route, or a route is not behind the guard; then it calls every route as every
 * kind of caller and expects the status this table implies.
 */

export const apiPrefix = '/api/v1';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type Access = 'public' | readonly Role[];

export interface PolicyEntry {
  method: HttpMethod;
  /** Full path in Express syntax, starting with `/api/v1`. */
  path: string;
  allow: Access;
}

const anyRole: readonly Role[] = ['analyst', 'supervisor', 'admin'];
const supervisors: readonly Role[] = ['supervisor', 'admin'];
const admins: readonly Role[] = ['admin'];

export const apiPolicy: readonly PolicyEntry[] = [
  // Public intake (the lead's intake domain): anonymous reporters, no session, no cookie.
  { method: 'POST', path: '/api/v1/reports', allow: 'public' },
  { method: 'POST', path: '/api/v1/status', allow: 'public' },

  // Sessions. Logging in is public; it needs a JSON body, which a cross-site form cannot send.
  { method: 'POST', path: '/api/v1/session', allow: 'public' },
  { method: 'GET', path: '/api/v1/session', allow: anyRole },
  { method: 'PATCH', path: '/api/v1/session', allow: anyRole },
  { method: 'DELETE', path: '/api/v1/session', allow: anyRole },
  { method: 'POST', path: '/api/v1/session/password', allow: anyRole },

  // Accounts.
  { method: 'GET', path: '/api/v1/users', allow: admins },
  { method: 'POST', path: '/api/v1/users', allow: admins },
  { method: 'PATCH', path: '/api/v1/users/:id', allow: admins },
  { method: 'POST', path: '/api/v1/users/:id/reset', allow: admins },
  { method: 'POST', path: '/api/v1/users/:id/unlock', allow: admins },

  // Audit trail.
  { method: 'GET', path: '/api/v1/audit', allow: supervisors },

  // Analyst workspace (src/review): queue, items, assessments and four eyes, settings.
  { method: 'GET', path: '/api/v1/queue', allow: anyRole },
  { method: 'POST', path: '/api/v1/queue/next', allow: anyRole },
  { method: 'GET', path: '/api/v1/queue/known', allow: supervisors },
  { method: 'POST', path: '/api/v1/queue/known/confirm', allow: supervisors },
  { method: 'GET', path: '/api/v1/items', allow: anyRole },
  { method: 'GET', path: '/api/v1/items/:id', allow: anyRole },
  { method: 'POST', path: '/api/v1/items/:id/release', allow: anyRole },
  { method: 'POST', path: '/api/v1/items/:id/skip', allow: anyRole },
  { method: 'GET', path: '/api/v1/items/:id/media/:n/view', allow: anyRole },
  { method: 'POST', path: '/api/v1/views/:viewId/heartbeat', allow: anyRole },
  { method: 'GET', path: '/api/v1/items/:id/cluster', allow: anyRole },
  { method: 'POST', path: '/api/v1/clusters/assessments', allow: anyRole },
  { method: 'GET', path: '/api/v1/reports/:id/contact', allow: supervisors },
  { method: 'POST', path: '/api/v1/items/:id/assessments', allow: anyRole },
  { method: 'POST', path: '/api/v1/assessments/:id/confirm', allow: anyRole },
  { method: 'POST', path: '/api/v1/assessments/:id/dispute', allow: anyRole },
  { method: 'GET', path: '/api/v1/banks', allow: supervisors },
  { method: 'PATCH', path: '/api/v1/banks/:name', allow: admins },
  { method: 'POST', path: '/api/v1/banks/:name/imports', allow: admins },
  { method: 'GET', path: '/api/v1/settings', allow: supervisors },
  { method: 'PATCH', path: '/api/v1/settings', allow: admins },

  // Forwarding (src/forwarding): the directory of receivers, the outbox, exports.
  { method: 'GET', path: '/api/v1/destinations', allow: supervisors },
  { method: 'POST', path: '/api/v1/destinations', allow: admins },
  { method: 'PATCH', path: '/api/v1/destinations/:id', allow: admins },
  { method: 'GET', path: '/api/v1/forwards', allow: supervisors },
  { method: 'PATCH', path: '/api/v1/forwards/:id', allow: supervisors },
  { method: 'GET', path: '/api/v1/exports', allow: supervisors },
  // The year's figures (src/stats).
  { method: 'GET', path: '/api/v1/stats', allow: supervisors },

  // The OpenAPI document of this API (src/openapi). Public: it tells the routes, their request
  // shapes and who may call them, all of which the published source tells already; no data.
  { method: 'GET', path: '/api/v1/openapi.json', allow: 'public' },
];

/** What a session of an account that must change its password may reach: who am I, sign out, change it. */
const beforePasswordChange = new Set([
  'GET /api/v1/session',
  'DELETE /api/v1/session',
  'POST /api/v1/session/password',
]);
export const isAllowedBeforePasswordChange = (entries: readonly PolicyEntry[]): boolean =>
  entries.every((e) => beforePasswordChange.has(`${e.method} ${e.path}`));

export const isStateChanging = (method: string) => !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());

// Same options as Express's own route matching (case-insensitive, optional trailing slash), so an
// entry matches exactly the requests its route would serve.
const compiled = apiPolicy.map((entry) => ({
  entry,
  matches: match(entry.path.slice(apiPrefix.length) || '/', { sensitive: false, end: true, trailing: true }),
}));

/** The entries that apply to a request; `path` is relative to `/api/v1` (Express's `req.path`). */
export function policyEntriesFor(method: string, path: string): PolicyEntry[] {
  const wanted = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
  return compiled.filter((c) => c.entry.method === wanted && c.matches(path) !== false).map((c) => c.entry);
}

/** Whether a caller with `role` (undefined: no session) may use a route all of `entries` apply to. */
export function isAllowed(entries: readonly PolicyEntry[], role: Role | undefined): boolean {
  return (
    entries.length > 0 && entries.every((e) => e.allow === 'public' || (role !== undefined && e.allow.includes(role)))
  );
}
