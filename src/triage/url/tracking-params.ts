/** Parameters that only say where a click came from; they never change which page is served. */
export const TRACKING_PARAMS: ReadonlySet<string> = new Set([
  'fbclid',
  'gclid',
  'dclid',
  'gbraid',
  'wbraid',
  'msclkid',
  'mc_cid',
  'mc_eid',
  'igshid',
  'yclid',
  '_ga',
  '_gl',
  'ref_src',
  // Share identifiers: they name the account or device that shared the link.
  'si',
  'igsh',
]);

/** First letters of the names above and of `utm_`, lowercase: most names are ruled out by this alone. */
const FIRST_LETTERS = new Set([...TRACKING_PARAMS, 'utm_'].map((name) => name.charCodeAt(0)));

/** Matched without regard to case: `UTM_Source` tracks as much as `utm_source`. */
export function isTrackingParam(name: string): boolean {
  const first = name.charCodeAt(0);
  if (!FIRST_LETTERS.has(first >= 0x41 && first <= 0x5a ? first | 0x20 : first)) return false;
  const lower = name.toLowerCase();
  return lower.startsWith('utm_') || TRACKING_PARAMS.has(lower);
}

function nameOf(param: string): string {
  const equals = param.indexOf('=');
  return equals === -1 ? param : param.slice(0, equals);
}

const byName = (a: string, b: string) => {
  const nameA = nameOf(a);
  const nameB = nameOf(b);
  return nameA < nameB ? -1 : nameA > nameB ? 1 : 0;
};

/**
 * The query as the dedup key sees it: tracking and empty parameters dropped, the rest sorted by
 * name (a stable sort, so repeated names keep their order). Returns '' or a string starting `?`.
 */
export function dedupQuery(query: string | null): string {
  if (query === null || query === '') return '';
  if (query.indexOf('&') === -1) return isTrackingParam(nameOf(query)) ? '' : `?${query}`;
  const params = query.split('&');
  const kept: string[] = [];
  let sorted = true;
  let previous = '';
  for (const param of params) {
    if (param === '') continue;
    const name = nameOf(param);
    if (isTrackingParam(name)) continue;
    if (name < previous) sorted = false;
    previous = name;
    kept.push(param);
  }
  if (kept.length === 0) return '';
  if (kept.length === params.length && sorted) return `?${query}`;
  if (!sorted) kept.sort(byName);
  return `?${kept.join('&')}`;
}

/**
 * The address with its tracking and share parameters removed and everything else as it was: the
 * form that is stored and fetched, so that the hotline's fetch never carries the identifiers of
 * whoever clicked or shared the link.
 */
export function withoutTrackingParams(href: string): string {
  const queryStart = href.indexOf('?');
  if (queryStart === -1) return href;
  const fragmentStart = href.indexOf('#', queryStart);
  const end = fragmentStart === -1 ? href.length : fragmentStart;
  const kept = href
    .slice(queryStart + 1, end)
    .split('&')
    .filter((param) => param !== '' && !isTrackingParam(nameOf(param)));
  return `${href.slice(0, queryStart)}${kept.length > 0 ? `?${kept.join('&')}` : ''}${href.slice(end)}`;
}
