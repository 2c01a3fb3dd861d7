import express, { type Request, type Response, Router } from 'express';
import type { AppDeps } from '../app.ts';
import { requestLang } from '../http/error-handler.ts';
import { badRequest, HttpError, notFound, validationFailed } from '../http/errors.ts';
import { isLang, type Lang } from '../http/i18n.ts';
import { ClientKeyer, throttle } from '../http/throttle.ts';
import { checkReportStatus } from './check-status.ts';
import { formValues, submissionFromForm } from './form-body.ts';
import { createFormTokens } from './form-token.ts';
import { renderReceipt, renderReportForm, renderStatusPage } from './pages.ts';
import { deriveIntakeKeys, submitReport } from './submit-report.ts';

const bodyLimit = '32kb';

function sendPage(res: Response, status: number, page: string): void {
  res.status(status).set('Cache-Control', 'no-store').type('html').send(page);
}

function langOf(req: Request, res: Response): Lang {
  const fromBody = (req.body as { lang?: unknown } | undefined)?.lang;
  return isLang(fromBody) ? fromBody : requestLang(req, res);
}

function requireJson(req: Request): Record<string, unknown> {
  if (!req.is('application/json')) throw new HttpError(415, 'unsupported_media_type', 'error.unsupported_media_type');
  if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) throw badRequest('invalid_json');
  return req.body as Record<string, unknown>;
}

/** The public side: the report form, receipts, status checks, and the same in JSON. No cookie is ever set. */
export function intakeRoutes(deps: AppDeps): Router {
  const keys = deriveIntakeKeys(deps.config.secretKey);
  const intake = { db: deps.db, keys, now: deps.now, fetchAllow: deps.config.fetch.allow };
  const tokens = createFormTokens(keys.formToken, deps.now);
  const keyer = new ClientKeyer(deps.now);
  const { reports, statusChecks, windowMs } = deps.config.throttle;
  const reportLimit = throttle({ limit: reports, windowMs, now: deps.now, keyer });
  const statusLimit = throttle({ limit: statusChecks, windowMs, now: deps.now, keyer });
  const form = express.urlencoded({ extended: false, limit: bodyLimit, parameterLimit: 40 });
  const json = express.json({ limit: bodyLimit, strict: true });
  const router = Router();

  router.get('/', (req, res) => sendPage(res, 200, renderReportForm(langOf(req, res), tokens.issue())));

  router.post('/report', reportLimit, form, (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const lang = langOf(req, res);
    const refuse = (errors: Record<string, string>) =>
      sendPage(res, 400, renderReportForm(lang, tokens.issue(), formValues(body), errors));
    if (body.leave_empty) return refuse({ form: 'error.rejected' });
    if (!tokens.redeem(body.formToken)) return refuse({ form: 'error.form_token' });
    try {
      const { receipt } = submitReport(intake, submissionFromForm(body));
      sendPage(res, 200, renderReceipt(lang, receipt));
    } catch (error) {
      if (error instanceof HttpError && error.fields) return refuse(error.fields);
      throw error;
    }
  });

  router.get('/status', (req, res) => sendPage(res, 200, renderStatusPage(langOf(req, res))));

  router.post('/status', statusLimit, form, (req, res) => {
    const lang = langOf(req, res);
    const outcome = checkReportStatus(intake, req.body);
    if (outcome.ok) return sendPage(res, 200, renderStatusPage(lang, { status: outcome.status }));
    sendPage(res, outcome.error === 'missing' ? 400 : 404, renderStatusPage(lang, { errorKey: outcome.messageKey }));
  });

  router.post('/api/v1/reports', reportLimit, json, (req, res) => {
    const { receipt } = submitReport(intake, requireJson(req));
    res.status(201).set('Cache-Control', 'no-store').json({ receipt, status: 'received' });
  });

  router.post('/api/v1/status', statusLimit, json, (req, res) => {
    const outcome = checkReportStatus(intake, requireJson(req));
    if (!outcome.ok) {
      throw outcome.error === 'missing'
        ? validationFailed({ receipt: outcome.messageKey })
        : notFound('receipt_not_found');
    }
    res.set('Cache-Control', 'no-store').json({ status: outcome.status });
  });

  return router;
}
