import { type ApiRegistry, errorResponses, jsonAnswer } from '../http/openapi.ts';
import { auditQuerySchema } from './routes.ts';

/** The audit trail (src/audit/routes.ts). */
export function registerAuditApi(registry: ApiRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/api/v1/audit',
    summary: 'audit events, newest first',
    request: { query: auditQuerySchema },
    responses: { 200: jsonAnswer('`events` and `next`, the `before` of the next page'), ...errorResponses(400) },
  });
}
