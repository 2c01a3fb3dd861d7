import type { OpenAPIRegistry, ResponseConfig, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { positiveIdSchema } from './validation.ts';

// What every domain's `openapi.ts` shares when it documents its `/api/v1` routes: the one error
// shape, the way a JSON body or answer is declared, and the id in a path. The routes' request
// schemas stay in their domains; only these shapes of the HTTP layer itself live here.

export type ApiRegistry = OpenAPIRegistry;
export type ApiRoute = RouteConfig;

/** Every 4xx and 5xx answer of the API (src/http/error-handler.ts `errorBody`). */
export const errorBodySchema = z
  .object({
    error: z.string().meta({ description: 'stable id a client may switch on, e.g. `invalid`, `not_found`' }),
    message: z.string().meta({ description: 'the message in the language of the request' }),
    fields: z
      .record(z.string(), z.string())
      .optional()
      .meta({ description: 'for `invalid`: each refused field and its localised message' }),
  })
  .meta({ id: 'Error' });

const errorMeaning: Record<number, string> = {
  400: 'a field or the body is invalid; `fields` names each refused field',
  401: 'no live session',
  403: 'the role may not, or the CSRF token or origin is missing',
  404: 'no such object',
  409: 'the object is not in a state that allows this',
  410: 'gone',
  413: 'body too large',
  415: 'not JSON, or an unsupported file',
  429: 'too many requests from this client; try later',
  502: 'an upstream service failed',
};

/** Error answers by status, all in the one error shape. */
export function errorResponses(...statuses: number[]): Record<number, ResponseConfig> {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: errorMeaning[status] ?? 'error',
        content: { 'application/json': { schema: errorBodySchema } },
      },
    ]),
  );
}

/** A JSON request body, described by the zod schema the route parses it with. */
export const jsonBody = (schema: z.ZodType) => ({
  required: true,
  content: { 'application/json': { schema } },
});

/** Any JSON object: the answers are typed in TypeScript, not in zod, so their shape is told in words. */
export const jsonObjectSchema = z.looseObject({});

/** A JSON answer, described in words. */
export const jsonAnswer = (description: string): ResponseConfig => ({
  description,
  content: { 'application/json': { schema: jsonObjectSchema } },
});

export const noContent: ResponseConfig = { description: 'done, nothing to return' };

/** `:id` in a path, as every route reads it. */
export const idParams = z.object({ id: positiveIdSchema });
