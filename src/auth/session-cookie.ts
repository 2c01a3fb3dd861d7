import type { CookieOptions, Request, Response } from 'express';

/**
 * `__Host-` makes the browser refuse the cookie unless it is Secure, has Path=/ and no Domain, so
 * no other host or path can plant or shadow it.
 */
export const sessionCookieName = '__Host-hotline_session';

// No Max-Age: the cookie ends with the browser; the server enforces the idle and absolute limits.
const cookieOptions: CookieOptions = { httpOnly: true, secure: true, sameSite: 'strict', path: '/' };

/** The session id from the Cookie header (express 5 has no cookie parser; we need one cookie). */
export function readSessionCookie(req: Request): string | undefined {
  const header = req.get('cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === sessionCookieName) {
      return part.slice(separator + 1).trim();
    }
  }
  return undefined;
}

export function setSessionCookie(res: Response, token: string): void {
  res.cookie(sessionCookieName, token, cookieOptions);
}

export function clearSessionCookie(res: Response): void {
  res.clearCookie(sessionCookieName, cookieOptions);
}
