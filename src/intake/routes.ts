import { randomInt } from 'node:crypto';
import express, { type Response, Router } from 'express';
import type { AppDeps } from '../deps.ts';
import { Invalid, NotFound, TooMany } from '../errors.ts';
import { requireJsonObject } from '../http/errors.ts';
import { isLang, requestLang } from '../http/i18n.ts';
import { ClientKeyer, rateLimit, throttle } from '../http/throttle.ts';
import { BatchedCommits } from '../jobs/batched-commits.ts';
import { reporterStatusClock } from '../review/reporter-status.ts';
import { checkReportStatus } from './check-status.ts';
import { formValues, submissionFromForm } from './form-body.ts';
import { createFormTokens } from './form-token.ts';
import { renderNextPage, renderReceipt, renderReportForm, renderStatusPage } from './pages.ts';
import { deriveIntakeKeys, submitReportGrouped } from './submit-report.ts';

const bodyLimit = '32kb';
/** As long as the status check accepts (`statusQuerySchema`): a longer text is not a receipt anyway. */
const maxTypedReceipt = 100;

/**
 * Group commit of reports: those that arrive while one transaction commits (the event loop waits
 * on its fsync) are written together in the next turn, so under a flood each fsync stores many
 * reports, and a lone report waits for nobody. The cap bounds how long one transaction holds the
 * event loop.
 */
const reportCommits = { windowMs: 0, maxBatch: 200 };

function sendPage(res: Response, status: number, page: string): void {
  res.status(status).set('Cache-Control', 'no-store').type('html').send(page);
}

/**
 * The public side: the report form, receipts, status checks (`pages`, mounted at the root), and the
 * same in JSON (`api`, paths under the API prefix: app.ts puts it first among the API's routers, so a
 * report does not walk past every analyst route first). No cookie is ever set. Both share one
 * throttle, one form-token store and one group commit.
 */
export function intakeRoutes(deps: AppDeps): { pages: Router; api: Router } {
  const keys = deriveIntakeKeys(deps.config.secretKey, deps.config.hashKey);
  const intake = {
    db: deps.db,
    keys,
    now: deps.now,
    fetchAllow: deps.config.fetch.allow,
    triageDelay: deps.config.worker.triageDelay ? () => randomInt(60_000) : undefined,
    statusClock: reporterStatusClock(deps),
  };
  const tokens = createFormTokens(deps.db, keys.formToken, deps.now);
  const commits = new BatchedCommits(deps.db, reportCommits);
  const keyer = new ClientKeyer(deps.now);
  const { reports, statusChecks, windowMs } = deps.config.throttle;
  const reportLimit = rateLimit({ limit: reports, windowMs, now: deps.now, keyer });
  const statusLimit = throttle({ limit: statusChecks, windowMs, now: deps.now, keyer });
  const form = express.urlencoded({ extended: false, limit: bodyLimit, parameterLimit: 40 });
  const json = express.json({ limit: bodyLimit, strict: true });
  const router = Router();
  const api = Router();

  router.get('/', (req, res) => sendPage(res, 200, renderReportForm(requestLang(req), tokens.issue())));

  // The language switch of the form: a submit button, so what was typed comes back in the new language.
  router.post('/', form, (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const lang = isLang(body.switchTo) ? body.switchTo : requestLang(req);
    sendPage(res, 200, renderReportForm(lang, tokens.issue(), formValues(body)));
  });

  router.get('/next', (req, res) => sendPage(res, 200, renderNextPage(requestLang(req))));

  router.post('/report', form, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    // The receipt page's language switch sends its form token back with the language chosen.
    const lang = isLang(body.switchTo) ? body.switchTo : requestLang(req);
    const refuse = (errors: Record<string, string>, status = 400) =>
      sendPage(res, status, renderReportForm(lang, tokens.issue(), formValues(body), errors));
    // Over the limit, the form comes back with what was typed: without JavaScript it would be lost.
    if (!reportLimit.hit(req)) return refuse({ form: 'error.rate_limited' }, 429);
    // The token is used up first: a post that trips the honeypot cannot be replayed either.
    const redemption = tokens.redeem(body.formToken);
    if (body.leave_empty) return refuse({ form: 'error.rejected' });
    // The same form sent again (reload, back, a second click) shows its receipt again, for a while.
    if (!redemption.fresh && redemption.receipt)
      return sendPage(res, 200, renderReceipt(lang, redemption.receipt, String(body.formToken)));
    if (!redemption.fresh) return refuse({ form: 'error.form_token' });
    try {
      const { receipt } = await submitReportGrouped(intake, commits, submissionFromForm(body));
      redemption.keepReceipt(receipt);
      sendPage(res, 200, renderReceipt(lang, receipt, String(body.formToken)));
    } catch (error) {
      if (error instanceof Invalid) return refuse(error.fields);
      throw error;
    }
  });

  router.get('/status', (req, res) => sendPage(res, 200, renderStatusPage(requestLang(req))));

  // The status page's language switch: the same page in the chosen language with what was typed,
  // checked for nothing (so switching never spends a status check of the throttle).
  router.post('/status', form, (req, res, next) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!isLang(body.switchTo)) return next();
    const typedReceipt = typeof body.receipt === 'string' ? body.receipt.slice(0, maxTypedReceipt) : '';
    sendPage(res, 200, renderStatusPage(body.switchTo, { typedReceipt }));
  });

  router.post('/status', statusLimit, (req, res) => {
    const lang = requestLang(req);
    const outcome = checkReportStatus(intake, req.body);
    if (outcome.ok) return sendPage(res, 200, renderStatusPage(lang, { status: outcome.status }));
    if (outcome.error === 'invalid') return sendPage(res, 400, renderStatusPage(lang, { errors: outcome.fields }));
    sendPage(res, 404, renderStatusPage(lang, { errors: { receipt: outcome.messageKey } }));
  });

  api.post('/reports', json, async (req, res) => {
    if (!reportLimit.hit(req)) throw new TooMany();
    const { receipt } = await submitReportGrouped(intake, commits, requireJsonObject(req));
    res.status(201).set('Cache-Control', 'no-store').json({ receipt, status: 'received' });
  });

  api.post('/status', statusLimit, json, (req, res) => {
    const outcome = checkReportStatus(intake, requireJsonObject(req));
    if (!outcome.ok)
      throw outcome.error === 'invalid' ? new Invalid(outcome.fields) : new NotFound('receipt_not_found');
    res.set('Cache-Control', 'no-store').json({ status: outcome.status });
  });

  return { pages: router, api };
}
