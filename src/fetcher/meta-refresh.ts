import { Parser } from 'htmlparser2';
import type { CollectedBody } from './body-sink.ts';

// An HTML `<meta http-equiv="refresh" content="0; url=...">` sends a browser on as a redirect
// does; landing pages of abusive sites use it to hide where the content is. The fetcher follows it
// as one more redirect hop, through the same checks and within the same limit.

/** A refresh belongs in the head: only the start of a page is read for it. */
const headBytes = 64 * 1024;

/**
 * A refresh that leaves before a reader could look is a redirect. A later one (a page that reloads
 * now and then, or moves on after showing itself) means the page itself is meant to be seen.
 */
export const maxRefreshDelaySeconds = 5;

/**
 * The delay and address of a refresh `content` attribute, after the HTML standard's declarative
 * refresh steps: a number, an optional `;` or `,`, an optional `url=`, and the address, quoted or not.
 * Null when it names no address.
 */
export function parseRefresh(content: string): { delay: number; url: string } | null {
  const match = /^\s*(\d+)[\d.]*\s*[;,]?\s*(?:url\s*=\s*)?([\s\S]*)$/i.exec(content);
  if (!match) return null;
  let url = (match[2] ?? '').trim();
  const quote = url.charAt(0);
  if (quote === '"' || quote === "'") {
    const end = url.indexOf(quote, 1);
    url = url.slice(1, end === -1 ? undefined : end);
  }
  return url === '' ? null : { delay: Number(match[1]), url };
}

/** The content of the first `<meta http-equiv="refresh">` in the start of a page, or null. */
function firstRefresh(html: string): string | null {
  let found: string | null = null;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (found !== null || name !== 'meta') return;
        if ((attributes['http-equiv'] ?? '').trim().toLowerCase() !== 'refresh') return;
        found = attributes.content ?? '';
        parser.pause();
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  return found;
}

/**
 * The absolute http(s) address a fetched page refreshes to at once, or null: not a kept page, no
 * refresh, a later one, one to the page itself (a reload), or to another scheme (left unfollowed,
 * so the page is inspected as it is).
 */
export function refreshTarget(body: CollectedBody, current: URL): string | null {
  if (body.mediaType !== 'text/html' || body.bytes === null) return null;
  const content = firstRefresh(body.bytes.toString('utf8', 0, Math.min(body.bytes.length, headBytes)));
  const refresh = content === null ? null : parseRefresh(content);
  if (refresh === null || refresh.delay > maxRefreshDelaySeconds) return null;
  let target: URL;
  try {
    target = new URL(refresh.url, current);
  } catch {
    return null;
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return null;
  target.hash = '';
  const here = new URL(current);
  here.hash = '';
  return target.href === here.href ? null : target.href;
}
