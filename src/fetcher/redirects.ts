import { FetchError } from './errors.ts';

/** At most this many redirects are followed; the next one is refused. */
export const maxRedirects = 5;

const redirectStatuses = new Set([301, 302, 303, 307, 308]);

/**
 * The absolute address a response redirects to, or null when it is not a redirect. Redirects are
 * followed by hand so that every hop goes through the same checks as the first request.
 */
export function redirectTarget(status: number, location: string | undefined, current: URL): string | null {
  if (!redirectStatuses.has(status)) return null;
  if (!location) throw new FetchError('http_status', 'redirect without a location', status);
  try {
    return new URL(location, current).href;
  } catch {
    throw new FetchError('http_status', 'redirect to an invalid location', status);
  }
}
