import { z } from 'zod';
import { type ApiRegistry, errorResponses, idParams, jsonAnswer, jsonBody, noContent } from '../http/openapi.ts';
import { positiveIdSchema } from '../http/validation.ts';
import { bankChangeSchema } from './bank-switch.ts';
import { itemListQuerySchema } from './item-list.ts';
import { knownQueueQuerySchema } from './known-queue.ts';
import { bankNameSchema, mediumIndexSchema } from './routes.ts';
import { viewQuerySchema } from './safe-view.ts';
import {
  clusterEnvelopeSchema,
  decisionBodySchema,
  disputeBodySchema,
  goneSchema,
  judgementSchema,
  knownConfirmBodySchema,
  skipBodySchema,
} from './schema.ts';
import { settingsChangeSchema } from './settings.ts';

const item = jsonAnswer('`item`: the item, its reports, media, signals, matches and assessments');
const assessment = jsonAnswer('`assessment`');

/** The analyst workspace (src/review/routes.ts). */
export function registerReviewApi(registry: ApiRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/api/v1/queue',
    summary: "the queues' sizes and my viewing time today (a supervisor's: the team's too)",
    responses: { 200: jsonAnswer('`queues`, `exposure`, and for supervisors `team`') },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/queue/next',
    summary: 'claim the next item of the queue',
    responses: { 200: item, 204: { description: 'the queue is empty' } },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/queue/known',
    summary:
      'items triage recognised from confirmed assessments, with the suggestion and its source (no media addresses)',
    request: { query: knownQueueQuerySchema },
    responses: { 200: jsonAnswer('`items` and `next`, the `cursor` of the next page'), ...errorResponses(400) },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/queue/known/confirm',
    summary: 'confirm items that match confirmed assessments, in one step',
    request: { body: jsonBody(knownConfirmBodySchema) },
    responses: { 200: jsonAnswer('`assessments`'), ...errorResponses(400, 409) },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/items',
    summary: 'items, newest first, filtered',
    request: { query: itemListQuerySchema },
    responses: { 200: jsonAnswer('`items` and `next`, the `cursor` of the next page'), ...errorResponses(400) },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/items/{id}',
    summary: 'one item (the view is audited)',
    request: { params: idParams },
    responses: { 200: item, ...errorResponses(404) },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/items/{id}/release',
    summary: 'give back a claimed item',
    request: { params: idParams },
    responses: { 204: noContent, ...errorResponses(404, 409) },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/items/{id}/skip',
    summary: 'skip a claimed item, saying why',
    request: { params: idParams, body: jsonBody(skipBodySchema) },
    responses: { 204: noContent, ...errorResponses(400, 404, 409) },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/items/{id}/media/{n}/view',
    summary: "a medium's safe view: fetched again, blurred and greyed, counted against the viewing limit",
    request: {
      // A path segment is always a string; the route reads it as a number.
      params: z.object({ id: positiveIdSchema, n: z.string().pipe(mediumIndexSchema) }),
      query: viewQuerySchema,
    },
    responses: {
      200: { description: 'the blurred JPEG', content: { 'image/jpeg': { schema: z.string() } } },
      ...errorResponses(400, 404, 409, 429, 502),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/items/{id}/cluster',
    summary: 'the items that share exact or near media with this one, and their links (bounded)',
    request: { params: idParams },
    responses: {
      200: jsonAnswer('`cluster`: `items`, `links`, and whether the list is complete'),
      ...errorResponses(404),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/clusters/assessments',
    summary: 'one assessment applied to the ticked items of a cluster, all or none',
    request: {
      body: jsonBody(clusterEnvelopeSchema.extend({ assessment: z.union([judgementSchema, goneSchema]) })),
    },
    responses: { 201: jsonAnswer('`assessments`'), ...errorResponses(400, 404, 409) },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/reports/{id}/contact',
    summary: "a report's contact address (the reveal is audited)",
    request: { params: idParams },
    responses: { 200: jsonAnswer('`contact`, or null'), ...errorResponses(404, 410) },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/items/{id}/assessments',
    summary: 'assess an item: a judgement, or the outcome `gone`',
    request: { params: idParams, body: jsonBody(z.union([judgementSchema, goneSchema])) },
    responses: { 201: assessment, ...errorResponses(400, 404, 409) },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/assessments/{id}/confirm',
    summary: "confirm another analyst's assessment (four eyes)",
    request: { params: idParams, body: jsonBody(decisionBodySchema) },
    responses: { 200: assessment, ...errorResponses(400, 404, 409) },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/assessments/{id}/dispute',
    summary: "dispute another analyst's assessment, saying why",
    request: { params: idParams, body: jsonBody(disputeBodySchema) },
    responses: { 200: assessment, ...errorResponses(400, 404, 409) },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/banks',
    summary: 'the hash banks and their sizes',
    responses: { 200: jsonAnswer('`banks`') },
  });
  registry.registerPath({
    method: 'patch',
    path: '/api/v1/banks/{name}',
    summary: 'enable or disable a bank (audited)',
    request: { params: z.object({ name: bankNameSchema }), body: jsonBody(bankChangeSchema) },
    responses: { 200: jsonAnswer('`bank`'), ...errorResponses(400, 404) },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/banks/{name}/imports',
    summary: 'import a bank file (CSV or VICS JSON) into a bank',
    request: {
      params: z.object({ name: bankNameSchema }),
      body: {
        required: true,
        content: { 'multipart/form-data': { schema: z.object({ file: z.string().meta({ format: 'binary' }) }) } },
      },
    },
    responses: { 201: jsonAnswer('`import`: what was read, added and refused'), ...errorResponses(400, 404, 413, 415) },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/settings',
    summary: 'the workspace settings',
    responses: { 200: jsonAnswer('`settings`') },
  });
  registry.registerPath({
    method: 'patch',
    path: '/api/v1/settings',
    summary: 'change workspace settings',
    request: { body: jsonBody(settingsChangeSchema) },
    responses: { 200: jsonAnswer('`settings`'), ...errorResponses(400) },
  });
}
