import { parseCookie } from 'cookie';
import type { CookieOptions, Request, Response } from 'express';

/**
 * `__Host-` makes the browser refuse the cookie unless it is Secure, has Path=/ and no Domain, so
 * no other host or path can plant or shadow it.
 */
export const sessionCookieName = '__Host-hotline_session';

// No Max-Age: the cookie ends with the browser; the server enforces the idle and absolute limits.
const cookieOptions: CookieOptions = { httpOnly: true, secure: true, sameSite: 'strict', path: '/' };

/** The session id from the Cookie header (express 5 parses no cookies; the `cookie` package does). */
export function readSessionCookie(req: Request): string | undefined {
  const header = req.get('cookie');
  return header ? parseCookie(header)[sessionCookieName] : undefined;
}

export function setSessionCookie(res: Response, token: string): void {
  res.cookie(sessionCookieName, token, cookieOptions);
}

export function clearSessionCookie(res: Response): void {
  res.clearCookie(sessionCookieName, cookieOptions);
}
