// The media type of fetched bytes, read from their first bytes and never from the Content-Type
// header, which the server controls: an image served as text/html is still an image.

const ascii = (bytes: Buffer, start: number, end: number): string => bytes.toString('latin1', start, end);

function startsWith(bytes: Buffer, signature: readonly number[], offset = 0): boolean {
  return signature.every((byte, i) => bytes[offset + i] === byte);
}

/** ISO base media files (MP4, MOV, AVIF, HEIF) begin with an `ftyp` box listing brands. */
function isoMediaType(bytes: Buffer): string | null {
  if (bytes.length < 12 || ascii(bytes, 4, 8) !== 'ftyp') return null;
  const boxEnd = Math.min(bytes.readUInt32BE(0), bytes.length, 256);
  const brands = [ascii(bytes, 8, 12)];
  for (let at = 16; at + 4 <= boxEnd; at += 4) brands.push(ascii(bytes, at, at + 4));
  if (brands.some((b) => b === 'avif' || b === 'avis')) return 'image/avif';
  if (brands.some((b) => ['heic', 'heix', 'heim', 'heis', 'mif1', 'msf1'].includes(b))) return 'image/heic';
  return brands[0] === 'qt  ' ? 'video/quicktime' : 'video/mp4';
}

/** Matroska and WebM share an EBML header; the DocType inside it tells them apart. */
function ebmlMediaType(bytes: Buffer): string | null {
  if (!startsWith(bytes, [0x1a, 0x45, 0xdf, 0xa3])) return null;
  return ascii(bytes, 0, 64).includes('webm') ? 'video/webm' : 'video/x-matroska';
}

// The WHATWG MIME sniffing patterns for HTML: a tag name followed by a space or `>`.
const htmlOpenings = [
  '<!doctype html',
  '<html',
  '<head',
  '<script',
  '<iframe',
  '<h1',
  '<div',
  '<font',
  '<table',
  '<a',
  '<style',
  '<title',
  '<b',
  '<body',
  '<br',
  '<p',
  '<!--',
];

function markupMediaType(bytes: Buffer): string | null {
  const text = ascii(bytes, 0, 1024)
    .replace(/^(\xef\xbb\xbf)?[\t\n\f\r ]*/, '')
    .toLowerCase();
  const isHtmlOpening = (opening: string) =>
    text.startsWith(opening) && (opening === '<!--' || /[ >\t\n\f\r]/.test(text.charAt(opening.length)));
  if (htmlOpenings.some(isHtmlOpening)) return 'text/html';
  if (text.startsWith('<svg') || (text.startsWith('<?xml') && text.includes('<svg'))) return 'image/svg+xml';
  if (text.startsWith('<?xml') && text.includes('<html')) return 'text/html';
  return null;
}

export function sniffMediaType(bytes: Buffer): string | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  const head = ascii(bytes, 0, 12);
  if (head.startsWith('GIF87a') || head.startsWith('GIF89a')) return 'image/gif';
  if (head.startsWith('RIFF') && head.slice(8, 12) === 'WEBP') return 'image/webp';
  if (head.startsWith('II*\0') || head.startsWith('MM\0*')) return 'image/tiff';
  if (head.startsWith('BM') && bytes.length >= 26) return 'image/bmp';
  if (head.startsWith('%PDF-')) return 'application/pdf';
  return isoMediaType(bytes) ?? ebmlMediaType(bytes) ?? markupMediaType(bytes);
}
