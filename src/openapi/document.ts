import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { registerAuditApi } from '../audit/openapi.ts';
import { registerAuthApi } from '../auth/openapi.ts';
import { apiPolicy, isStateChanging } from '../auth/policy.ts';
import { sessionCookieName } from '../auth/session-cookie.ts';
import { registerForwardingApi } from '../forwarding/openapi.ts';
import { type ApiRoute, errorResponses, jsonAnswer } from '../http/openapi.ts';
import { registerIntakeApi } from '../intake/openapi.ts';
import { registerReviewApi } from '../review/openapi.ts';
import { registerStatsApi } from '../stats/openapi.ts';

/**
 * The OpenAPI 3.1 document of `/api/v1`. Each domain documents its own routes in its `openapi.ts`,
 * beside the zod schemas its routes parse with (so a schema and its documentation change in one
 * place, and `http/`, which may not import domains, holds only the shared shapes); this file only
 * gathers them and adds what the policy table (src/auth/policy.ts) says of each route: public or
 * not, which roles, the 401 and 403 of the guard. Paths are in OpenAPI syntax (`{id}`), the
 * policy's in Express syntax (`:id`).
 */
export const openApiPath = '/api/v1/openapi.json';

const domains = [
  registerIntakeApi,
  registerAuthApi,
  registerAuditApi,
  registerReviewApi,
  registerForwardingApi,
  registerStatsApi,
];

const toExpressPath = (openApiPath: string) => openApiPath.replace(/\{(\w+)\}/g, ':$1');

/** What the guard adds to a documented route: who may call it, and how it refuses the others. */
function withPolicy(route: ApiRoute): ApiRoute {
  const entry = apiPolicy.find((e) => e.method === route.method.toUpperCase() && e.path === toExpressPath(route.path));
  // A route documented but not in the table is refused by the guard: the document would lie.
  if (!entry) throw new Error(`${route.method.toUpperCase()} ${route.path} is documented but not in the policy table`);
  if (entry.allow === 'public') return { ...route, security: [] };
  return {
    ...route,
    security: [isStateChanging(entry.method) ? { session: [], csrf: [] } : { session: [] }],
    'x-roles': [...entry.allow],
    responses: { ...route.responses, ...errorResponses(401, 403) },
  };
}

export function buildApiDocument() {
  const registry = new OpenAPIRegistry();
  registry.registerPath({
    method: 'get',
    path: openApiPath,
    summary: 'this document',
    responses: { 200: jsonAnswer('the OpenAPI 3.1 document of /api/v1') },
  });
  for (const register of domains) register(registry);
  const definitions = registry.definitions.map((d) => (d.type === 'route' ? { ...d, route: withPolicy(d.route) } : d));
  const document = new OpenApiGeneratorV31(definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Hotline API',
      // The API's version, the `v1` of its paths; a change that breaks clients gets `/api/v2`.
      version: '1',
      description:
        'The JSON API of the hotline. Public routes need nothing; the others a session cookie from ' +
        '`POST /api/v1/session`, and a state change also the `X-CSRF-Token` it answered and a same-origin request.',
    },
  });
  document.components = {
    ...document.components,
    securitySchemes: {
      session: { type: 'apiKey', in: 'cookie', name: sessionCookieName },
      csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token' },
    },
  };
  return document;
}
