import type { ErrorRequestHandler, Request, Response } from 'express';
import type { Logger } from '../logger.ts';
import { HttpError } from './errors.ts';
import { html } from './html.ts';
import { type Lang, pickLanguage, translate } from './i18n.ts';
import { renderPage } from './layout.ts';

/** Body-parser and similar errors carry a `type` and a `status`; map the ones clients cause. */
function fromParserError(err: unknown): HttpError | undefined {
  const type = (err as { type?: unknown })?.type;
  if (type === 'entity.too.large') return new HttpError(413, 'payload_too_large', 'error.payload_too_large');
  if (type === 'entity.parse.failed') return new HttpError(400, 'invalid_json', 'error.invalid_json');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported')
    return new HttpError(415, 'unsupported_encoding', 'error.unsupported_encoding');
  if (type === 'parameters.too.many') return new HttpError(413, 'payload_too_large', 'error.payload_too_large');
  return undefined;
}

export function requestLang(req: Request, res: Response): Lang {
  const fromLocals = res.locals.lang as Lang | undefined;
  return fromLocals ?? pickLanguage(req.query?.lang, req.get('accept-language'));
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

/** The one error handler: HttpErrors become their status; anything else a logged, generic 500. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let error = err instanceof HttpError ? err : fromParserError(err);
    if (!error) {
      logger.error({ err, route: req.route?.path ?? 'unmatched' }, 'unhandled error');
      error = new HttpError(500, 'internal', 'error.internal');
    }
    if (res.headersSent) return;
    const lang = requestLang(req, res);
    const body = errorBody(error, lang);
    res.status(error.status).set('Cache-Control', 'no-store');
    if (req.accepts(['json', 'html']) === 'html' && !req.path.startsWith('/api/')) {
      const page = html`<h1>${translate(lang, 'error.title')}</h1><p role="alert">${body.message}</p>
<p><a href="/?lang=${lang}">${translate(lang, 'nav.home')}</a></p>`;
      res.type('html').send(renderPage({ lang, titleKey: 'error.title', path: '/', body: page }));
    } else {
      res.json(body);
    }
  };
}
