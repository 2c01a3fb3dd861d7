import { randomInt } from 'node:crypto';
import express, { type Response, Router } from 'express';
import type { AppDeps } from '../deps.ts';
import { Invalid, NotFound, TooMany } from '../errors.ts';
import { requireJsonObject } from '../http/errors.ts';
import { isLang, requestLang } from '../http/i18n.ts';
import { ClientKeyer, rateLimit } from '../http/throttle.ts';
import { BatchedCommits } from '../jobs/batched-commits.ts';
import { reporterStatusClock } from '../review/reporter-status.ts';
import { checkReportStatus } from './check-status.ts';
import { formValues } from './form-body.ts';
import { createFormPosts } from './form-post.ts';
import { createFormTokens } from './form-token.ts';
import { renderAlreadyReceived, renderNextPage, renderReceipt, renderReportForm, renderStatusPage } from './pages.ts';
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

/** The receipt as typed on the status page, to put back into it. */
function typedReceiptOf(body: unknown): string {
  const typed = (body as { receipt?: unknown } | undefined)?.receipt;
  return typeof typed === 'string' ? typed.slice(0, maxTypedReceipt) : '';
}

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
  const formPosts = createFormPosts(intake, commits, tokens);
  const keyer = new ClientKeyer(deps.now);
  const { reports, statusChecks, windowMs } = deps.config.throttle;
  const reportLimit = rateLimit({ limit: reports, windowMs, now: deps.now, keyer });
  const statusLimit = rateLimit({ limit: statusChecks, windowMs, now: deps.now, keyer });
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
    // Only a token's first post counts against the limit: a reload must not use up the reporter's tries.
    const outcome = await formPosts.post(body, () => reportLimit.hit(req));
    if (outcome.kind === 'receipt')
      return sendPage(res, 200, renderReceipt(lang, outcome.receipt, String(body.formToken)));
    if (outcome.kind === 'received') return sendPage(res, 200, renderAlreadyReceived(lang));
    // Refused (over the limit too), the form comes back with what was typed: without JavaScript it would be lost.
    sendPage(res, outcome.status, renderReportForm(lang, tokens.issue(), formValues(body), outcome.errors));
  });

  router.get('/status', (req, res) => sendPage(res, 200, renderStatusPage(requestLang(req))));

  // The status page's language switch: the same page in the chosen language with what was typed,
  // checked for nothing (so switching never spends a status check of the throttle).
  router.post('/status', form, (req, res, next) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!isLang(body.switchTo)) return next();
    sendPage(res, 200, renderStatusPage(body.switchTo, { typedReceipt: typedReceiptOf(body) }));
  });

  router.post('/status', (req, res) => {
    const lang = requestLang(req);
    // Over the limit, the page comes back with the code that was typed, so it need not be typed again.
    if (!statusLimit.hit(req))
      return sendPage(
        res,
        429,
        renderStatusPage(lang, { errors: { form: 'error.rate_limited' }, typedReceipt: typedReceiptOf(req.body) }),
      );
    const outcome = checkReportStatus(intake, req.body);
    if (outcome.ok) return sendPage(res, 200, renderStatusPage(lang, { status: outcome.status }));
    // A refused code stays in the box, to be corrected rather than typed again.
    const typedReceipt = typedReceiptOf(req.body);
    if (outcome.error === 'invalid')
      return sendPage(res, 400, renderStatusPage(lang, { errors: outcome.fields, typedReceipt }));
    sendPage(res, 404, renderStatusPage(lang, { errors: { receipt: outcome.messageKey }, typedReceipt }));
  });

  api.post('/reports', json, async (req, res) => {
    if (!reportLimit.hit(req)) throw new TooMany();
    const { receipt } = await submitReportGrouped(intake, commits, requireJsonObject(req));
    res.status(201).set('Cache-Control', 'no-store').json({ receipt, status: 'received' });
  });

  api.post('/status', json, (req, res) => {
    if (!statusLimit.hit(req)) throw new TooMany();
    const outcome = checkReportStatus(intake, requireJsonObject(req));
    if (!outcome.ok)
      throw outcome.error === 'invalid' ? new Invalid(outcome.fields) : new NotFound('receipt_not_found');
    res.set('Cache-Control', 'no-store').json({ status: outcome.status });
  });

  return { pages: router, api };
}
