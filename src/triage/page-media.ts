import { Parser } from 'htmlparser2';

// The media an HTML page shows, as absolute http(s) addresses to fetch through the same fetcher.

/** Links are followed only when the path looks like an image or a video file. */
const mediaFileExtension = /\.(jpe?g|jfif|png|gif|webp|avif|bmp|tiff?|heic|heif|mp4|m4v|mov|webm|mkv|avi)$/i;

const imageMetaKeys = new Set([
  'og:image',
  'og:image:url',
  'og:image:secure_url',
  'twitter:image',
  'twitter:image:src',
]);

/**
 * The URLs of a `srcset`, following the HTML candidate-string rules closely enough that URLs with
 * commas inside (`/img,w_200/a.jpg 2x`) survive: a URL runs to the next whitespace, and a
 * candidate's descriptors run to the next comma outside parentheses.
 */
export function parseSrcset(srcset: string): string[] {
  const urls: string[] = [];
  let i = 0;
  while (i < srcset.length) {
    while (i < srcset.length && /[\s,]/.test(srcset.charAt(i))) i++;
    const start = i;
    while (i < srcset.length && !/\s/.test(srcset.charAt(i))) i++;
    let url = srcset.slice(start, i);
    if (url.endsWith(',')) {
      url = url.replace(/,+$/, '');
    } else {
      let depth = 0;
      for (; i < srcset.length; i++) {
        const c = srcset.charAt(i);
        if (c === '(') depth++;
        else if (c === ')') depth = Math.max(0, depth - 1);
        else if (c === ',' && depth === 0) break;
      }
    }
    if (url) urls.push(url);
  }
  return urls;
}

interface Candidate {
  raw: string;
  /** From an `a href`: kept only when it points at a media file. */
  isLink: boolean;
}

/** Raw addresses in document order, and the first `<base href>` (which applies to the whole page). */
function collectCandidates(htmlText: string): { candidates: Candidate[]; baseHref: string | null } {
  const candidates: Candidate[] = [];
  let baseHref: string | null = null;
  let pictureDepth = 0;
  let videoDepth = 0;
  const add = (...values: (string | undefined)[]) => {
    for (const raw of values) if (raw !== undefined) candidates.push({ raw, isLink: false });
  };
  const addSrcset = (...values: (string | undefined)[]) => {
    for (const value of values) if (value !== undefined) add(...parseSrcset(value));
  };
  const parser = new Parser(
    {
      onopentag(name, a) {
        if (name === 'base' && baseHref === null && a.href !== undefined) baseHref = a.href;
        else if (name === 'img') {
          add(a.src, a['data-src']);
          addSrcset(a.srcset, a['data-srcset']);
        } else if (name === 'picture') pictureDepth++;
        else if (name === 'video') {
          videoDepth++;
          add(a.poster, a.src);
        } else if (name === 'source') {
          if (pictureDepth > 0) addSrcset(a.srcset, a['data-srcset']);
          if (videoDepth > 0) add(a.src);
        } else if (name === 'meta') {
          const key = (a.property ?? a.name ?? '').trim().toLowerCase();
          if (imageMetaKeys.has(key)) add(a.content);
        } else if (name === 'a' && a.href !== undefined) candidates.push({ raw: a.href, isLink: true });
      },
      onclosetag(name) {
        if (name === 'picture') pictureDepth = Math.max(0, pictureDepth - 1);
        if (name === 'video') videoDepth = Math.max(0, videoDepth - 1);
      },
    },
    { decodeEntities: true },
  );
  parser.write(htmlText);
  parser.end();
  return { candidates, baseHref };
}

function httpUrl(raw: string, base: string | URL): URL | null {
  const trimmed = raw.trim();
  if (trimmed === '') return null;
  try {
    const url = new URL(trimmed, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

/**
 * The media a page shows: `img` src/srcset, `picture` sources, `og:image`/`twitter:image` meta,
 * video posters and sources, and links to image or video files. Resolved against the page address
 * (or its `<base href>`), fragments dropped, deduplicated, http(s) only, at most `limit`, in page order.
 */
export function extractPageMedia(htmlText: string, baseUrl: string, limit: number): string[] {
  const { candidates, baseHref } = collectCandidates(htmlText);
  const base = (baseHref !== null && httpUrl(baseHref, baseUrl)) || baseUrl;
  const found = new Set<string>();
  for (const { raw, isLink } of candidates) {
    if (found.size >= limit) break;
    const url = httpUrl(raw, base);
    if (url === null || (isLink && !mediaFileExtension.test(url.pathname))) continue;
    url.hash = '';
    found.add(url.href);
  }
  return [...found];
}
