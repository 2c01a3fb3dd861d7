import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/** Strict headers for every response: no inline code, no framing, no referrer, no powerful features. */
const helmetHeaders = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      // blob: for the analyst app's safe view, fetched with fetch() (to read its errors and
      // exposure headers) and shown from an object URL; never data: or another origin.
      imgSrc: ["'self'", 'blob:'],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      // No upgrade-insecure-requests: an onion service of the hotline is served over plain http.
    },
  },
  referrerPolicy: { policy: 'no-referrer' },
  strictTransportSecurity: { maxAge: 63_072_000, includeSubDomains: true },
  crossOriginEmbedderPolicy: true,
});

/**
 * What helmet sets and removes, read once by running it against a recording response: its values
 * do not depend on the request, and setting a fixed list costs a fraction of its chain of a dozen
 * middleware functions, which every request (every public report) would otherwise run.
 */
function recordHelmet(): { set: [string, string][]; removed: string[] } {
  const set: [string, string][] = [];
  const removed: string[] = [];
  const recorder = {
    setHeader: (name: string, value: string) => set.push([name, String(value)]),
    removeHeader: (name: string) => removed.push(name),
  } as unknown as ServerResponse;
  helmetHeaders({} as IncomingMessage, recorder, (error?: unknown) => {
    if (error) throw error;
  });
  return { set, removed };
}

export function securityHeaders(): RequestHandler {
  const { set, removed } = recordHelmet();
  set.push(['Permissions-Policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()']);
  return (_req, res, next) => {
    for (const [name, value] of set) res.setHeader(name, value);
    for (const name of removed) res.removeHeader(name);
    next();
  };
}
