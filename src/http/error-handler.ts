import type { ErrorRequestHandler } from 'express';
import { DomainError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { HttpError, httpErrorOf } from './errors.ts';
import { html } from './html.ts';
import { type Lang, requestLang, translate } from './i18n.ts';
import { renderPage } from './layout.ts';

/**
 * Errors raised by Express and its body parsers carry a `type` and a 4xx `status`: the client caused
 * them, so they get a quiet 4xx answer, not a logged 500.
 */
function fromClientError(err: unknown): HttpError | undefined {
  const { type, status, statusCode } = (err ?? {}) as { type?: unknown; status?: unknown; statusCode?: unknown };
  const code = typeof status === 'number' ? status : typeof statusCode === 'number' ? statusCode : undefined;
  if (code === undefined || code < 400 || code > 499) return undefined;
  if (code === 413 || type === 'parameters.too.many')
    return new HttpError(413, 'payload_too_large', 'error.payload_too_large');
  if (type === 'entity.parse.failed') return new HttpError(400, 'invalid_json', 'error.invalid_json');
  if (code === 415) return new HttpError(415, 'unsupported_encoding', 'error.unsupported_encoding');
  return new HttpError(code, 'bad_request', 'error.bad_request');
}

export function errorBody(error: HttpError, lang: Lang) {
  const body: { error: string; message: string; fields?: Record<string, string> } = {
    error: error.id,
    message: translate(lang, error.messageKey),
  };
  if (error.fields) {
    body.fields = Object.fromEntries(Object.entries(error.fields).map(([f, key]) => [f, translate(lang, key)]));
  }
  return body;
}

function knownError(err: unknown): HttpError | undefined {
  if (err instanceof HttpError) return err;
  if (err instanceof DomainError) return httpErrorOf(err);
  return fromClientError(err);
}

/** The one error handler: domain and HTTP errors become their status; anything else a logged, generic 500. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    let error = knownError(err);
    if (!error) {
      logger.error({ err, route: req.route?.path ?? 'unmatched' }, 'unhandled error');
      error = new HttpError(500, 'internal', 'error.internal');
    }
    // Too late for an error page: Express's own handler ends the connection.
    if (res.headersSent) return next(err);
    const lang = requestLang(req);
    const body = errorBody(error, lang);
    res.status(error.status).set('Cache-Control', 'no-store');
    // A download may have set its type and file name before it failed: the error is no download.
    res.removeHeader('Content-Disposition');
    if (req.accepts(['json', 'html']) === 'html' && !req.path.startsWith('/api/')) {
      const page = html`<h1>${translate(lang, 'error.title')}</h1><p role="alert">${body.message}</p>
<p><a href="/?lang=${lang}">${translate(lang, 'nav.home')}</a></p>`;
      res.type('html').send(renderPage({ lang, titleKey: 'error.title', path: '/', body: page, hasErrors: true }));
    } else {
      res.type('json').json(body);
    }
  };
}
