import type { RequestHandler } from 'express';
import type { Logger } from '../logger.ts';

/**
 * One line per request: method, route pattern, status, duration. Never the URL (it can hold a query),
 * never headers, never the client address.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const pattern = req.route?.path;
      const route = typeof pattern === 'string' ? `${req.baseUrl}${pattern}` : 'unmatched';
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info({ method: req.method, route, status: res.statusCode, durationMs: Math.round(durationMs) }, 'request');
    });
    next();
  };
}
