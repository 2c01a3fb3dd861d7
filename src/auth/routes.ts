import express, { type Response, Router } from 'express';
import type { AppDeps } from '../deps.ts';
import { Unauthorized } from '../errors.ts';
import { ClientKeyer, throttle } from '../http/throttle.ts';
import { parseOrFail } from '../http/validation.ts';
import { currentUser } from './guard.ts';
import { changeOwnLanguage } from './language.ts';
import type { AnalystLanguage } from './languages.ts';
import { createLogin, logout } from './login.ts';
import { changeOwnPassword } from './password-change.ts';
import type { Role } from './roles.ts';
import { loginSchema, passwordChangeSchema, sessionChangeSchema } from './schema.ts';
import { clearSessionCookie, readSessionCookie, setSessionCookie } from './session-cookie.ts';
import { csrfKey, csrfTokenFor, type OnSessionsEnd } from './sessions.ts';

/** Login attempts per client address per window, on top of the per-account lockout. */
const loginThrottle = { limit: 20, windowMs: 10 * 60_000 };

/** One answer for unknown user, wrong password, wrong or replayed code, locked or disabled account. */
const loginFailed = () => new Unauthorized('login_failed');

/** POST/GET/PATCH/DELETE /api/v1/session: log in, who am I, my language, log out (and `onSessionsEnd` with it). */
export function sessionRoutes(deps: AppDeps, onSessionsEnd?: OnSessionsEnd): Router {
  const router = Router();
  const limitAttempts = throttle({ ...loginThrottle, now: deps.now, keyer: new ClientKeyer(deps.now) });
  // Public route, so it parses its own (small) body; JSON only, which a cross-site form cannot send.
  const json = express.json({ limit: '4kb' });
  const login = createLogin(deps);
  const key = csrfKey(deps.config);
  const sendSession = (
    res: Response,
    token: string,
    user: { id: number; username: string; role: Role; mustChangePassword: boolean; language: AnalystLanguage | null },
  ) =>
    res.json({
      user: { id: user.id, username: user.username, role: user.role, language: user.language },
      csrfToken: csrfTokenFor(key, token),
      mustChangePassword: user.mustChangePassword,
      // The workspace warns before the session ends for idleness.
      idleTimeoutSeconds: deps.config.auth.sessionIdleMs / 1000,
    });

  router.post('/session', limitAttempts, json, async (req, res) => {
    const input = parseOrFail(loginSchema, req.body);
    const result = await login(input, readSessionCookie(req));
    if (!result.ok) throw loginFailed();
    setSessionCookie(res, result.token);
    sendSession(res, result.token, result.user);
  });

  router.get('/session', (_req, res) => {
    const user = currentUser(res);
    sendSession(res, user.token, { ...user, id: user.userId });
  });

  router.patch('/session', (req, res) => {
    const user = currentUser(res);
    const { language } = parseOrFail(sessionChangeSchema, req.body);
    changeOwnLanguage(deps, user.userId, language);
    sendSession(res, user.token, { ...user, id: user.userId, language });
  });

  router.post('/session/password', async (req, res) => {
    const input = parseOrFail(passwordChangeSchema, req.body);
    await changeOwnPassword(deps, currentUser(res), input);
    res.status(204).end();
  });

  router.delete('/session', (_req, res) => {
    const user = currentUser(res);
    logout(deps, user.userId, user.token, onSessionsEnd);
    clearSessionCookie(res);
    res.status(204).end();
  });

  return router;
}
