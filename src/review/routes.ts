import { type Request, Router } from 'express';
import { z } from 'zod';
import { userActor } from '../audit/chain.ts';
import { currentUser } from '../auth/guard.ts';
import { listBanks } from '../banks/queries.ts';
import type { AppDeps } from '../deps.ts';
import { Invalid, NotFound } from '../errors.ts';
import { singleFileUpload } from '../http/file-upload.ts';
import { parseOrFail, positiveIdSchema } from '../http/validation.ts';
import { confirmAssessment, confirmKnownItems, createAssessment, disputeAssessment } from './assessments.ts';
import { importUploadedBankFile } from './bank-import.ts';
import { bankChangeSchema, switchBank } from './bank-switch.ts';
import { claimNextItem, recordItemView, releaseItem, skipItem } from './claims.ts';
import { assessCluster } from './cluster-assessments.ts';
import { exposureToday, teamExposureToday } from './exposure.ts';
import { itemClusterView } from './item-cluster.ts';
import { itemDetail } from './item-detail.ts';
import { itemListQuerySchema, listItems } from './item-list.ts';
import { knownQueueQuerySchema, listKnownItems } from './known-queue.ts';
import { viewMedium } from './media-view.ts';
import { countQueues } from './queue.ts';
import { revealReportContact } from './report-contact.ts';
import { viewQuerySchema } from './safe-view.ts';
import {
  decisionBodySchema,
  disputeBodySchema,
  heartbeatBodySchema,
  knownConfirmBodySchema,
  parseAssessmentBody,
  parseClusterAssessmentBody,
  skipBodySchema,
} from './schema.ts';
import { changeSettings, readSettings, settingsChangeSchema } from './settings.ts';
import { withVideoViewerLinks } from './video-viewer.ts';
import { recordViewHeartbeat, viewIdPattern } from './view-time.ts';

export const bankNameSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/);
/** `:n` of a medium's view: its place among the item's media. */
export const mediumIndexSchema = z.coerce.number<string>().int().min(0).max(10_000);

/** The id in the path, or a 404 naming what is missing. */
function idParam(req: Request, missing: string): number {
  const id = positiveIdSchema.safeParse(req.params.id);
  if (!id.success) throw new NotFound(missing);
  return id.data;
}

/** The analyst workspace's API: queue, items, assessments, four eyes, settings (roles in src/auth/policy.ts). */
export function reviewRoutes(deps: AppDeps): Router {
  const router = Router();
  const itemScreen = (itemId: number) =>
    withVideoViewerLinks(itemDetail(deps.db, itemId, deps.now()), deps.config.review.videoViewerUrlTemplate);

  router.get('/queue', (_req, res) => {
    const user = currentUser(res);
    const supervises = user.role === 'supervisor' || user.role === 'admin';
    res.json({
      queues: countQueues(deps.db),
      exposure: exposureToday(deps, user.userId),
      // Supervisors watch everyone's viewing time.
      ...(supervises ? { team: teamExposureToday(deps.db, deps.now(), deps.config.timeZone) } : {}),
    });
  });

  router.post('/queue/next', (_req, res) => {
    const itemId = claimNextItem(deps, currentUser(res).userId);
    if (itemId === undefined) return void res.status(204).end();
    res.json({ item: itemScreen(itemId) });
  });

  router.get('/queue/known', (req, res) => {
    res.json(listKnownItems(deps.db, parseOrFail(knownQueueQuerySchema, req.query)));
  });

  router.post('/queue/known/confirm', (req, res) => {
    const body = parseOrFail(knownConfirmBodySchema, req.body);
    res.json(confirmKnownItems(deps, currentUser(res), body.itemIds, body.comment));
  });

  router.get('/items', (req, res) => {
    res.json(listItems(deps.db, parseOrFail(itemListQuerySchema, req.query), deps.now()));
  });

  router.get('/items/:id', (req, res) => {
    const itemId = idParam(req, 'item_not_found');
    recordItemView(deps, currentUser(res).userId, itemId);
    res.json({ item: itemScreen(itemId) });
  });

  router.get('/items/:id/cluster', (req, res) => {
    res.json({ cluster: itemClusterView(deps.db, idParam(req, 'item_not_found'), deps.now()) });
  });

  router.post('/clusters/assessments', (req, res) => {
    const { itemIds, assessment } = parseClusterAssessmentBody(req.body);
    res.status(201).json({ assessments: assessCluster(deps, currentUser(res), itemIds, assessment) });
  });

  router.get('/reports/:id/contact', (req, res) => {
    res.json(revealReportContact(deps, currentUser(res).userId, idParam(req, 'report_not_found')));
  });

  router.post('/items/:id/release', (req, res) => {
    releaseItem(deps, currentUser(res).userId, idParam(req, 'item_not_found'));
    res.status(204).end();
  });

  router.post('/items/:id/skip', (req, res) => {
    const itemId = idParam(req, 'item_not_found');
    const { reason } = parseOrFail(skipBodySchema, req.body);
    skipItem(deps, currentUser(res).userId, itemId, reason);
    res.status(204).end();
  });

  router.get('/items/:id/media/:n/view', async (req, res) => {
    const itemId = idParam(req, 'item_not_found');
    const n = mediumIndexSchema.safeParse(req.params.n);
    if (!n.success) throw new NotFound('medium_not_found');
    const options = parseOrFail(viewQuerySchema, req.query);
    const view = await viewMedium(deps, currentUser(res), { itemId, n: n.data }, options);
    res.set({
      'Cache-Control': 'no-store',
      // A counted view (below the blur threshold): the app sends its heartbeats under this id.
      ...(view.viewId ? { 'X-View-Id': view.viewId } : {}),
      'X-Exposure-Used-Ms': String(view.exposure.usedMs),
      'X-Exposure-Limit-Ms': String(view.exposure.limitMs),
      'X-Exposure-Warning': view.exposure.warning ? '1' : '0',
    });
    res.type('image/jpeg').send(view.jpeg);
  });

  router.post('/views/:viewId/heartbeat', (req, res) => {
    const viewId = String(req.params.viewId);
    if (!viewIdPattern.test(viewId)) throw new NotFound('view_not_found');
    const { hidden } = parseOrFail(heartbeatBodySchema, req.body ?? {});
    res.json(recordViewHeartbeat(deps, currentUser(res).userId, viewId, hidden));
  });

  router.post('/items/:id/assessments', (req, res) => {
    const itemId = idParam(req, 'item_not_found');
    const body = parseAssessmentBody(req.body);
    res.status(201).json({ assessment: createAssessment(deps, currentUser(res), itemId, body) });
  });

  router.post('/assessments/:id/confirm', (req, res) => {
    const id = idParam(req, 'assessment_not_found');
    const { comment } = parseOrFail(decisionBodySchema, req.body);
    res.json({ assessment: confirmAssessment(deps, currentUser(res), id, comment) });
  });

  router.post('/assessments/:id/dispute', (req, res) => {
    const id = idParam(req, 'assessment_not_found');
    const { comment } = parseOrFail(disputeBodySchema, req.body);
    res.json({ assessment: disputeAssessment(deps, currentUser(res), id, comment) });
  });

  router.get('/banks', (_req, res) => {
    res.json({ banks: listBanks(deps.db) });
  });

  router.patch('/banks/:name', (req, res) => {
    const name = bankNameSchema.safeParse(req.params.name);
    if (!name.success) throw new NotFound('bank_not_found');
    const { enabled } = parseOrFail(bankChangeSchema, req.body);
    res.json({ bank: switchBank(deps, userActor(currentUser(res).userId), name.data, enabled) });
  });

  router.post(
    '/banks/:name/imports',
    singleFileUpload('file', deps.config.review.bankUploadMaxBytes),
    async (req, res) => {
      const name = bankNameSchema.safeParse(req.params.name);
      if (!name.success) throw new NotFound('bank_not_found');
      if (!req.file) throw new Invalid({ file: 'error.upload.missing' });
      const summary = await importUploadedBankFile(deps, currentUser(res).userId, name.data, req.file.buffer);
      res.status(201).json({ import: summary });
    },
  );

  router.get('/settings', (_req, res) => {
    res.json({ settings: readSettings(deps.db, deps.config) });
  });

  router.patch('/settings', (req, res) => {
    const user = currentUser(res);
    const change = parseOrFail(settingsChangeSchema, req.body);
    res.json({ settings: changeSettings(deps, `user:${user.userId}`, user.userId, change) });
  });

  return router;
}
