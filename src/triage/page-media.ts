import { Parser } from 'htmlparser2';

// The media an HTML page shows, as absolute http(s) addresses to fetch through the same fetcher.

/**
 * Links are followed only when the path looks like an image, a video or an archive: the fetcher
 * hashes any of them (archives and videos by their exact hashes only).
 */
const mediaFileExtension =
  /\.(jpe?g|jfif|png|gif|webp|avif|bmp|tiff?|heic|heif|ico|mp4|m4v|mov|webm|mkv|avi|wmv|asf|flv|mpe?g|3gp|3g2|ts|zip|rar|7z)$/i;

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

/**
 * Only the start of a page is read (bytes of a Buffer, characters of a string): media references
 * sit in the markup, and a page of many megabytes would otherwise cost its size several times over
 * in parser work and candidates.
 */
export const maxHtmlBytes = 2 * 1024 * 1024;

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
 * The distinct media addresses found so far, resolved against the page's base: the first
 * `<base href>` applies to the whole page, even to references before it, so finding one
 * re-resolves what was collected.
 */
class MediaAddresses {
  private readonly candidates: Candidate[] = [];
  private base: string | URL;
  private found = new Set<string>();
  private hasBase = false;

  constructor(private readonly pageUrl: string) {
    this.base = pageUrl;
  }

  setBase(href: string): void {
    if (this.hasBase) return;
    this.hasBase = true;
    const base = httpUrl(href, this.pageUrl);
    if (base === null) return;
    this.base = base;
    this.found = new Set();
    for (const candidate of this.candidates) this.resolve(candidate);
  }

  add(candidate: Candidate): void {
    if (!this.hasBase) this.candidates.push(candidate);
    this.resolve(candidate);
  }

  get size(): number {
    return this.found.size;
  }

  list(limit: number): string[] {
    return [...this.found].slice(0, limit);
  }

  private resolve({ raw, isLink }: Candidate): void {
    const url = httpUrl(raw, this.base);
    if (url === null || (isLink && !mediaFileExtension.test(url.pathname))) return;
    url.hash = '';
    this.found.add(url.href);
  }
}

/** The media addresses of a page, and whether the page shows more than were read. */
export interface PageMedia {
  urls: string[];
  /** More than `limit` addresses, or a page longer than `maxHtmlBytes`: the page was not all seen. */
  truncated: boolean;
}

/**
 * The media a page shows: `img` src/srcset, `picture` sources, `og:image`/`twitter:image` meta,
 * video posters and sources, and links to image or video files. Resolved against the page address
 * (or its `<base href>`), fragments dropped, deduplicated, http(s) only, at most `limit`, in page
 * order. Reads at most the first `maxHtmlBytes` of the page and stops parsing one address past
 * `limit`, which tells that there were more.
 */
export function extractPageMedia(html: string | Buffer, baseUrl: string, limit: number): PageMedia {
  const cap = Math.max(0, limit) + 1;
  const cut = html.length > maxHtmlBytes;
  const text = typeof html === 'string' ? html.slice(0, maxHtmlBytes) : html.toString('utf8', 0, maxHtmlBytes);
  const media = new MediaAddresses(baseUrl);
  let pictureDepth = 0;
  let videoDepth = 0;
  const add = (...values: (string | undefined)[]) => {
    for (const raw of values) {
      if (raw === undefined || media.size >= cap) continue;
      media.add({ raw, isLink: false });
    }
  };
  const addSrcset = (...values: (string | undefined)[]) => {
    for (const value of values) if (value !== undefined) add(...parseSrcset(value));
  };
  const parser = new Parser(
    {
      onopentag(name, a) {
        if (name === 'base' && a.href !== undefined) media.setBase(a.href);
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
        } else if (name === 'a' && a.href !== undefined && media.size < cap) media.add({ raw: a.href, isLink: true });
        if (media.size >= cap) parser.pause();
      },
      onclosetag(name) {
        if (name === 'picture') pictureDepth = Math.max(0, pictureDepth - 1);
        if (name === 'video') videoDepth = Math.max(0, videoDepth - 1);
      },
    },
    { decodeEntities: true },
  );
  parser.write(text);
  if (media.size < cap) parser.end();
  return { urls: media.list(Math.max(0, limit)), truncated: cut || media.size > limit };
}
