import { z } from 'zod';
import { type ApiRegistry, errorResponses, idParams, jsonAnswer, jsonBody } from '../http/openapi.ts';
import { destinationPatchSchema, newDestinationSchema } from './directory.ts';
import { forwardPatchSchema, outboxQuerySchema } from './forwards.ts';
import { exportQuerySchema } from './routes.ts';

/** The directory of receivers, the outbox, exports (src/forwarding/routes.ts). */
export function registerForwardingApi(registry: ApiRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/api/v1/destinations',
    summary: 'the receivers: police, partner hotlines, providers',
    responses: { 200: jsonAnswer('`destinations`') },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/destinations',
    summary:
      "add a hosting provider's abuse contact (notices go out once it is approved) or a partner hotline (one per country)",
    request: { body: jsonBody(newDestinationSchema) },
    responses: { 201: jsonAnswer('`destination`'), ...errorResponses(400, 409) },
  });
  registry.registerPath({
    method: 'patch',
    path: '/api/v1/destinations/{id}',
    summary: 'edit a receiver',
    request: { params: idParams, body: jsonBody(destinationPatchSchema) },
    responses: { 200: jsonAnswer('`destination`'), ...errorResponses(400, 404) },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/forwards',
    summary: 'the outbox of forwards',
    request: { query: outboxQuerySchema },
    responses: { 200: jsonAnswer('`forwards` and their counts by state'), ...errorResponses(400) },
  });
  registry.registerPath({
    method: 'patch',
    path: '/api/v1/forwards/{id}',
    summary: "record a forward's progress (sent, acknowledged, removed)",
    request: { params: idParams, body: jsonBody(forwardPatchSchema) },
    responses: { 200: jsonAnswer('`forward`'), ...errorResponses(400, 404, 409) },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/exports',
    summary: 'a signed export package (ZIP) for one receiver',
    request: { query: exportQuerySchema },
    responses: {
      200: { description: 'the signed package', content: { 'application/zip': { schema: z.string() } } },
      ...errorResponses(400, 404),
    },
  });
}
