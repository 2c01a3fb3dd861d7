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
  heartbeatBodySchema,
  judgementSchema,
  knownConfirmBodySchema,
  skipBodySchema,
} from './schema.ts';
import { settingsChangeSchema } from './settings.ts';
import { viewIdPattern } from './view-time.ts';

/** Both shapes `parseAssessmentBody` takes: a judgement, or the outcome `gone`. */
const assessmentBodySchema = z.union([judgementSchema, goneSchema]);

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
    summary: 'the items that match confirmed assessments, awaiting confirmation in one step',
    request: { query: knownQueueQuerySchema },
    responses: { 200: jsonAnswer('`items` and `next`, the `cursor` of the next page'), ...errorResponses(400) },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/queue/known/confirm',
    summary: 'confirm items that match confirmed assessments, in one step',
    request: { body: jsonBody(knownConfirmBodySchema) },
    responses: {
      200: jsonAnswer(
        '`assessments` (the confirmed ones) and `requeued` (ids sent back to `new`: their suggestion was disabled)',
      ),
      ...errorResponses(400, 409),
    },
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
    summary:
      "a medium's safe view: fetched again, blurred and greyed; below the blur threshold it answers `X-View-Id`, whose heartbeats count the viewing time",
    request: {
      // A path segment is always a string; the route reads it as a number.
      params: z.object({ id: positiveIdSchema, n: z.string().pipe(mediumIndexSchema) }),
      query: viewQuerySchema,
    },
    responses: {
      200: { description: 'the blurred JPEG', content: { 'image/jpeg': { schema: z.string() } } },
      ...errorResponses(400, 403, 404, 409, 410, 415, 429, 502),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/views/{viewId}/heartbeat',
    summary:
      'a safe view (its `X-View-Id`) is still on screen: the server charges the time since its last charge, at most 30 s',
    request: { params: z.object({ viewId: z.string().regex(viewIdPattern) }), body: jsonBody(heartbeatBodySchema) },
    responses: { 200: jsonAnswer('`chargedMs` and `exposure`'), ...errorResponses(400, 403, 404) },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/items/{id}/cluster',
    summary: "an item's cluster: the items it is a duplicate of, or that are duplicates of it",
    request: { params: idParams },
    responses: { 200: jsonAnswer('`cluster`'), ...errorResponses(404) },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/clusters/assessments',
    summary:
      'one assessment for the ticked items of a cluster; a bad field of the assessment is named `assessment.FIELD`',
    request: { body: jsonBody(clusterEnvelopeSchema.extend({ assessment: assessmentBodySchema })) },
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
    request: { params: idParams, body: jsonBody(assessmentBodySchema) },
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
    summary: 'switch a bank on or off for matching',
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
