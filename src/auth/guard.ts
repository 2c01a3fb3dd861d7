import type { Request, RequestHandler, Response } from 'express';
import type { AppDeps } from '../deps.ts';
import { Forbidden, NotFound, Unauthorized } from '../errors.ts';
import { isAllowed, isAllowedBeforePasswordChange, isStateChanging, policyEntriesFor } from './policy.ts';
import { readSessionCookie } from './session-cookie.ts';
import { csrfKey, csrfTokenMatches, resumeSession, type SessionUser } from './sessions.ts';

/**
 * Authenticates and authorises every `/api/v1` request by the policy table before any route
 * runs (see src/auth/policy.ts). Sets `res.locals.user` for a signed-in caller.
 */
export function apiGuard(deps: Pick<AppDeps, 'db' | 'config' | 'now'>): RequestHandler {
  const key = csrfKey(deps.config);
  return (req, res, next) => {
    const entries = policyEntriesFor(req.method, req.path);
    if (entries.length === 0) return next(new NotFound());
    if (isAllowed(entries, undefined)) return next();

    const token = readSessionCookie(req);
    const user = token ? resumeSession(deps.db, token, deps.now(), deps.config.auth) : undefined;
    if (!user) return next(new Unauthorized());
    if (isStateChanging(req.method)) {
      const tokenOk = csrfTokenMatches(key, user.token, req.get('x-csrf-token'));
      if (!tokenOk || !isSameOrigin(req)) return next(new Forbidden('csrf'));
    }
    if (!isAllowed(entries, user.role)) return next(new Forbidden());
    if (user.mustChangePassword && !isAllowedBeforePasswordChange(entries)) {
      return next(new Forbidden('password_change_required'));
    }
    res.locals.user = user;
    next();
  };
}

/**
 * Whether the browser says the request comes from our own pages. `Sec-Fetch-Site` cannot be set
 * by page scripts, so when present it decides; otherwise `Origin` must be this origin: scheme,
 * host and port (an http page of the same host is another origin). The scheme is the one the
 * client used, as `trust proxy` lets Express tell behind a TLS-terminating proxy.
 */
function isSameOrigin(req: Request): boolean {
  const site = req.get('sec-fetch-site');
  if (site !== undefined) return site === 'same-origin';
  const origin = req.get('origin');
  const host = req.get('host');
  if (!origin || origin === 'null' || !host) return false;
  try {
    return new URL(origin).origin === new URL(`${req.protocol}://${host}`).origin;
  } catch {
    return false;
  }
}

/** The signed-in user of a route the policy does not mark public. */
export function currentUser(res: Response): SessionUser {
  const user = res.locals.user as SessionUser | undefined;
  if (!user) throw new Error('currentUser() on a route without a session: check its policy entry');
  return user;
}
