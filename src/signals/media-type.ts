/**
 * The media type of some bytes, from their first bytes only: the decision of which decoder (if
 * any) may see them must not depend on a file name or a Content-Type header someone else chose.
 * Covers the formats a hotline meets: the images we hash, other images, video, documents, archives.
 */

/** The image types whose pixels we decode and hash. */
export const HASHED_IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif'] as const;
export type HashedImageType = (typeof HASHED_IMAGE_TYPES)[number];

export const UNKNOWN_MEDIA_TYPE = 'application/octet-stream';

export function isHashedImageType(mediaType: string): mediaType is HashedImageType {
  return (HASHED_IMAGE_TYPES as readonly string[]).includes(mediaType);
}

interface Signature {
  type: string;
  offset: number;
  bytes: readonly number[];
}

const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

const SIGNATURES: readonly Signature[] = [
  { type: 'image/jpeg', offset: 0, bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/png', offset: 0, bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/gif', offset: 0, bytes: ascii('GIF87a') },
  { type: 'image/gif', offset: 0, bytes: ascii('GIF89a') },
  { type: 'image/tiff', offset: 0, bytes: [0x49, 0x49, 0x2a, 0x00] },
  { type: 'image/tiff', offset: 0, bytes: [0x4d, 0x4d, 0x00, 0x2a] },
  { type: 'image/bmp', offset: 0, bytes: ascii('BM') },
  { type: 'image/x-icon', offset: 0, bytes: [0x00, 0x00, 0x01, 0x00] },
  { type: 'image/jxl', offset: 0, bytes: [0xff, 0x0a] },
  { type: 'image/jxl', offset: 4, bytes: ascii('JXL \r\n\x87\n') },
  { type: 'image/jp2', offset: 4, bytes: ascii('jP  \r\n\x87\n') },
  { type: 'image/vnd.adobe.photoshop', offset: 0, bytes: ascii('8BPS') },
  { type: 'video/webm', offset: 0, bytes: [0x1a, 0x45, 0xdf, 0xa3] }, // EBML; refined below
  { type: 'video/x-flv', offset: 0, bytes: ascii('FLV\x01') },
  { type: 'video/mpeg', offset: 0, bytes: [0x00, 0x00, 0x01, 0xba] },
  { type: 'video/mpeg', offset: 0, bytes: [0x00, 0x00, 0x01, 0xb3] },
  { type: 'video/x-ms-asf', offset: 0, bytes: [0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11] },
  { type: 'application/pdf', offset: 0, bytes: ascii('%PDF-') },
  { type: 'application/zip', offset: 0, bytes: [0x50, 0x4b, 0x03, 0x04] },
  { type: 'application/gzip', offset: 0, bytes: [0x1f, 0x8b] },
  { type: 'application/x-7z-compressed', offset: 0, bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { type: 'application/vnd.rar', offset: 0, bytes: ascii('Rar!\x1a\x07') },
];

const RIFF_FORMS: Record<string, string> = { WEBP: 'image/webp', 'AVI ': 'video/x-msvideo', WAVE: 'audio/wav' };

/** ISO base media (ftyp) brands: AVIF and HEIF images, then the video families. */
const FTYP_BRANDS: Record<string, string> = {
  avif: 'image/avif',
  avis: 'image/avif',
  heic: 'image/heic',
  heix: 'image/heic',
  heim: 'image/heic',
  heis: 'image/heic',
  mif1: 'image/heif',
  msf1: 'image/heif',
  'qt  ': 'video/quicktime',
  '3gp4': 'video/3gpp',
  '3gp5': 'video/3gpp',
  '3g2a': 'video/3gpp2',
  M4V: 'video/x-m4v',
  'M4V ': 'video/x-m4v',
};

export function sniffMediaType(bytes: Uint8Array): string {
  const text = (offset: number, length: number) => String.fromCharCode(...bytes.subarray(offset, offset + length));
  if (text(0, 4) === 'RIFF' && bytes.length >= 12) return RIFF_FORMS[text(8, 4)] ?? UNKNOWN_MEDIA_TYPE;
  if (text(4, 4) === 'ftyp' && bytes.length >= 12) return isoMediaType(bytes, text);
  for (const signature of SIGNATURES) {
    if (signature.bytes.every((b, i) => bytes[signature.offset + i] === b)) {
      return signature.type === 'video/webm' && !text(0, 64).includes('webm') ? 'video/x-matroska' : signature.type;
    }
  }
  if (bytes.length >= 189 && bytes[0] === 0x47 && bytes[188] === 0x47) return 'video/mp2t';
  return sniffText(text(0, TEXT_SNIFF_BYTES));
}

/**
 * An ISO media file is an AVIF image when its major brand says so, or when it is a generic image
 * container (mif1/msf1) whose compatible brands include AVIF.
 */
function isoMediaType(bytes: Uint8Array, text: (offset: number, length: number) => string): string {
  const boxSize = Math.min(
    bytes.length,
    ((bytes[0] as number) << 24) | ((bytes[1] as number) << 16) | ((bytes[2] as number) << 8) | (bytes[3] as number),
  );
  const major = text(8, 4);
  const compatible: string[] = [];
  for (let offset = 16; offset + 4 <= boxSize; offset += 4) compatible.push(text(offset, 4));
  const majorType = FTYP_BRANDS[major];
  if (majorType === 'image/heif' && compatible.some((brand) => brand === 'avif' || brand === 'avis'))
    return 'image/avif';
  if (majorType) return majorType;
  return major.startsWith('3g') ? 'video/3gpp' : 'video/mp4';
}

/** How far markup is looked for: as far as the fetcher sniffs a body it streams. */
const TEXT_SNIFF_BYTES = 4096;

/** WHATWG MIME Sniffing's "binary data bytes": NUL and the C0 controls that text never holds. */
const isBinaryDataByte = (code: number) =>
  code <= 0x08 || code === 0x0b || (code >= 0x0e && code <= 0x1f && code !== 0x1b);

function isText(latin1: string): boolean {
  for (let i = 0; i < latin1.length; i++) if (isBinaryDataByte(latin1.charCodeAt(i))) return false;
  return true;
}

/**
 * Markup, in bytes no binary signature claimed. SVG and XML are recognised by their first tag after
 * any byte-order mark, white space, XML declaration or comments, and so is an HTML doctype or a
 * typical first HTML tag. Beyond that, any text with a tag in it is taken for HTML: real pages start
 * with a stylesheet, an image or a paragraph of text, and treating one as not a page would leave
 * the media it links uninspected. Reading a non-page as HTML costs only a parse that finds nothing.
 */
function sniffText(start: string): string {
  const unmarked = start.replace(/^\xEF\xBB\xBF/, '');
  const head = unmarked.replace(/^(\s|<\?xml[^>]*>|<!--[\s\S]*?-->)*/i, '').toLowerCase();
  if (/^<svg[\s>]/.test(head) || (/^<!doctype svg/.test(head) && head.includes('<svg'))) return 'image/svg+xml';
  if (/^<(!doctype html|html|head|body|script|iframe|div|p|a|title|meta|table|br|h1)[\s>]/.test(head))
    return 'text/html';
  if (/^\s*<\?xml/i.test(unmarked)) return 'application/xml';
  if (/<[a-z!]/i.test(start) && isText(start)) return 'text/html';
  return UNKNOWN_MEDIA_TYPE;
}
