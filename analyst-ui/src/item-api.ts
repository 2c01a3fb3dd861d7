// The item screen's calls that are not plain JSON: the safe view (a picture whose errors and
// exposure headers the app must read), its heartbeats, the audited contact reveal, and the calls
// made while the page goes away (src/review/media-view.ts, view-time.ts, report-contact.ts).
import { type Api, ApiError, safeViewUrl } from './api.ts';

export interface SafeViewPicture {
  /** The JPEG the server rendered, held only in memory (shown through an object URL). */
  picture: Blob;
  /** The counted view's id for heartbeats; null for a view at or above the blur threshold. */
  viewId: string | null;
  /** The analyst passed 80 % of today's viewing time. */
  warning: boolean;
}

/**
 * One safe view, fetched (not an <img src>) so that a refusal is read as the server says it:
 * 403 `exposure_exhausted`, 409 `content_changed` or `known_item`, 410 `gone`, ...
 */
export async function fetchSafeView(
  api: Api,
  view: { itemId: number; n: number; blur: number; acknowledgeKnown?: boolean },
): Promise<SafeViewPicture> {
  const res = await fetch(safeViewUrl(view.itemId, view.n, view.blur, view.acknowledgeKnown), {
    headers: { Accept: 'image/jpeg, application/json', 'Accept-Language': api.lang },
    credentials: 'same-origin',
    cache: 'no-store',
  });
  api.onAnswer(res.status);
  if (!res.ok) {
    const json = await res.json().catch(() => ({}));
    throw new ApiError(res.status, json.error ?? 'http', json.message ?? res.statusText);
  }
  return {
    picture: await res.blob(),
    viewId: res.headers.get('X-View-Id'),
    warning: res.headers.get('X-Exposure-Warning') === '1',
  };
}

export interface HeartbeatAnswer {
  chargedMs: number;
  exposure: { usedMs: number; limitMs: number; warning: boolean; exhausted: boolean };
}

/** The view is still on screen (or, `hidden`, has just left it): the server charges the time since. */
export function sendHeartbeat(api: Api, viewId: string, hidden = false) {
  return api.call<HeartbeatAnswer>('POST', `/views/${encodeURIComponent(viewId)}/heartbeat`, { hidden });
}

/**
 * A POST that outlives the page (`keepalive`): what the app still says while the tab closes or
 * navigates away (the claim released, the view hidden). Its answer is never read.
 */
export function sendOnLeave(api: Api, path: string, body: unknown): void {
  fetch(`/api/v1${path}`, {
    method: 'POST',
    keepalive: true,
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': api.csrfToken },
    body: JSON.stringify(body),
  }).catch(() => undefined);
}

/** A report's contact address (supervisors; the server audits the reveal). */
export function revealContact(api: Api, reportId: number) {
  return api.call<{ contact: string | null }>('GET', `/reports/${reportId}/contact`);
}
