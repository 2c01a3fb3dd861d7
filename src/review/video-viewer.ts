/**
 * Videos are never streamed through the workspace. A hotline may run an isolated viewer of its own
 * (a separate machine, no network to the workspace); HOTLINE_VIDEO_VIEWER_URL_TEMPLATE tells how
 * to link a video's exact hashes to it, e.g. `https://viewer.internal/?sha256={sha256}&item={item}`.
 */

/** The words a template may hold, each in braces. */
export const viewerPlaceholders = ['sha256', 'sha1', 'md5', 'item', 'medium'] as const;
type Placeholder = (typeof viewerPlaceholders)[number];
export type ViewerValues = Record<Placeholder, string | number>;

const placeholderPattern = /\{([^{}]*)\}/g;

/**
 * What is wrong with a template, or null when it is usable: only known placeholders, at least one
 * hash to find the video by, and, filled in, an absolute http or https address without credentials.
 */
export function viewerTemplateProblem(template: string): string | null {
  const used = [...template.matchAll(placeholderPattern)].map((m) => m[1] ?? '');
  const unknown = used.filter((name) => !(viewerPlaceholders as readonly string[]).includes(name));
  if (unknown.length > 0)
    return `unknown placeholder ${unknown.map((u) => `{${u}}`).join(', ')}; use ${placeholderList}`;
  if (!used.some((name) => ['sha256', 'sha1', 'md5'].includes(name))) return 'must hold {sha256}, {sha1} or {md5}';
  let url: URL;
  try {
    url = new URL(fillTemplate(template, { sha256: '0', sha1: '0', md5: '0', item: 1, medium: 0 }));
  } catch {
    return 'must be an absolute URL once its placeholders are filled in';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http or https URL';
  if (url.username || url.password) return 'must not hold credentials';
  return null;
}
const placeholderList = viewerPlaceholders.map((p) => `{${p}}`).join(', ');

/** The template with each placeholder replaced by its value, escaped for a URL. */
function fillTemplate(template: string, values: ViewerValues): string {
  return template.replace(placeholderPattern, (_, name: Placeholder) => encodeURIComponent(String(values[name])));
}

/** A medium of the item screen, as far as the link needs it. */
interface ViewerMedium {
  n: number;
  mediaType: string;
  sha256: string;
  sha1: string;
  md5: string;
}

/**
 * The item screen's media with `viewerUrl`: for each video, the link to the isolated viewer when a
 * template is configured; null for anything else (images have the safe view).
 */
export function withVideoViewerLinks<M extends ViewerMedium, I extends { id: number; media: M[] }>(
  item: I,
  template: string | undefined,
): Omit<I, 'media'> & { media: (M & { viewerUrl: string | null })[] } {
  return {
    ...item,
    media: item.media.map((medium) => ({
      ...medium,
      viewerUrl:
        template && medium.mediaType.startsWith('video/')
          ? fillTemplate(template, { ...medium, item: item.id, medium: medium.n })
          : null,
    })),
  };
}
