import { type ApiRegistry, errorResponses, jsonAnswer, jsonBody } from '../http/openapi.ts';
import { reportSubmissionSchema, statusQuerySchema } from './schema.ts';

/** The public JSON intake (src/intake/routes.ts): the same rules as the form. */
export function registerIntakeApi(registry: ApiRegistry): void {
  registry.registerPath({
    method: 'post',
    path: '/api/v1/reports',
    summary: 'report addresses anonymously; the receipt is shown once',
    request: { body: jsonBody(reportSubmissionSchema) },
    responses: { 201: jsonAnswer('`receipt` and `status`'), ...errorResponses(400, 413, 415, 429) },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/status',
    summary: "a report's status by its receipt",
    request: { body: jsonBody(statusQuerySchema) },
    responses: { 200: jsonAnswer('`status`'), ...errorResponses(400, 404, 413, 415, 429) },
  });
}
