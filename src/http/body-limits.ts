import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import { match } from 'path-to-regexp';
import { errorBody } from './error-handler.ts';
import { HttpError } from './errors.ts';
import { requestLang } from './i18n.ts';

/**
 * The largest body a route accepts unless it is given a larger one (the signed-in JSON API's 1 MB);
 * each route's own parser keeps its smaller limit.
 */
export const maxRequestBodyBytes = 1024 * 1024;

/** A route that accepts a larger body than the rest (bank imports): its method, path and limit. */
export interface LargerBodyRoute {
  method: string;
  /** An Express path, e.g. `/api/v1/banks/:name/imports`. */
  path: string;
  maxBytes: number;
}

const tooLarge = () => new HttpError(413, 'payload_too_large', 'error.payload_too_large');

/**
 * Every response to a request whose body was not read to its end closes the connection: else Node
 * would read and discard the rest of the body to keep the connection alive, so a refused 100 MB
 * upload would still be received in full. Closing cuts the body where we stopped reading.
 */
function closeWhenBodyUnread(req: IncomingMessage, res: ServerResponse): void {
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: Parameters<typeof writeHead>) {
    if (!req.complete) this.shouldKeepAlive = false;
    return writeHead.apply(this, args);
  } as typeof writeHead;
}

/**
 * Counts the body as Node hands it to the request stream. The body parsers read off the whole
 * body after refusing it (to keep the connection usable); past `maxBytes` this stops that: the
 * rest is dropped, the 413 goes out at once, and the connection closes behind it.
 */
function cutStreamedBody(req: Request, res: Response, maxBytes: number): void {
  let received = 0;
  const push = req.push;
  req.push = function (this: IncomingMessage, chunk: unknown, encoding?: BufferEncoding) {
    if (chunk !== null && typeof chunk === 'object' && 'length' in chunk) received += Number(chunk.length);
    if (received <= maxBytes) return push.call(this, chunk, encoding);
    if (!res.headersSent)
      res
        .status(413)
        .set('Cache-Control', 'no-store')
        .json(errorBody(tooLarge(), requestLang(req)));
    return false;
  };
}

/**
 * First in the chain: a body announced larger than its route accepts is refused with 413 before a
 * byte of it is read; a body sent without a length is cut at the same size. The limit is the
 * route's own when it is one of `larger`, else `maxBytes`.
 */
export function bodyLimits(
  larger: readonly LargerBodyRoute[] = [],
  defaultBytes = maxRequestBodyBytes,
): RequestHandler {
  const routes = larger.map((route) => ({ ...route, matches: match(route.path) }));
  const limitOf = (req: Request) =>
    routes.find((route) => route.method === req.method && route.matches(req.path) !== false)?.maxBytes ?? defaultBytes;
  return (req, res, next) => {
    const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length']) > 0;
    if (!hasBody) return next();
    closeWhenBodyUnread(req, res);
    const maxBytes = limitOf(req);
    if (Number(req.headers['content-length']) > maxBytes) return next(tooLarge());
    cutStreamedBody(req, res, maxBytes);
    next();
  };
}
