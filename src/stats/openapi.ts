import { z } from 'zod';
import { type ApiRegistry, errorResponses, jsonObjectSchema } from '../http/openapi.ts';
import { statsQuerySchema } from './routes.ts';

/** The year's figures (src/stats/routes.ts). */
export function registerStatsApi(registry: ApiRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/api/v1/stats',
    summary: 'the figures of the days from `from` to `to`, both included',
    request: { query: statsQuerySchema },
    responses: {
      200: {
        description: 'the figures; with `format=csv`, the same as a CSV file',
        content: { 'application/json': { schema: jsonObjectSchema }, 'text/csv': { schema: z.string() } },
      },
      ...errorResponses(400),
    },
  });
}
