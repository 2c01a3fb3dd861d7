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

interface Param {
  name: string;
  text: string;
}

const byName = (a: Param, b: Param) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * The query as the dedup key sees it: tracking and empty parameters dropped, the rest sorted by
 * name (a stable sort, so repeated names keep their order). Returns '' or a string starting `?`.
 * One pass over the query, slicing each name once; the query comes back as it is when nothing
 * was dropped and it was in order already.
 */
export function dedupQuery(query: string | null): string {
  if (query === null || query === '') return '';
  const names: string[] = [];
  const texts: string[] = [];
  let changed = false;
  let sorted = true;
  // The next `=` is looked up again only once it falls behind: linear even with no `=` at all.
  let equals = query.indexOf('=');
  for (let start = 0; start <= query.length; ) {
    let end = query.indexOf('&', start);
    if (end === -1) end = query.length;
    if (equals !== -1 && equals < start) equals = query.indexOf('=', start);
    const name = query.slice(start, equals === -1 || equals > end ? end : equals);
    if (end === start || isTrackingParam(name)) {
      changed = true;
    } else {
      if (sorted && names.length > 0 && name < (names[names.length - 1] as string)) sorted = false;
      names.push(name);
      texts.push(query.slice(start, end));
    }
    start = end + 1;
  }
  if (texts.length === 0) return '';
  if (sorted) return changed ? `?${texts.join('&')}` : `?${query}`;
  const params: Param[] = [];
  for (let i = 0; i < texts.length; i++) params.push({ name: names[i] as string, text: texts[i] as string });
  params.sort(byName);
  let out = `?${(params[0] as Param).text}`;
  for (let i = 1; i < params.length; i++) out += `&${(params[i] as Param).text}`;
  return out;
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
