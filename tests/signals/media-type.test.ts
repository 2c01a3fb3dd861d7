import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { isHashedImageType, sniffMediaType } from '../../src/signals/media-type.ts';

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));
const ftyp = (major: string, ...compatible: string[]) => {
  const size = 16 + 4 * compatible.length;
  return bytes([0, 0, 0, size], 'ftyp', major, [0, 0, 0, 0], compatible.join(''), 'rest of the file');
};

describe('sniffMediaType', () => {
  it('recognises the images we hash, as encoded by a real encoder', async () => {
    const image = sharp({ create: { width: 8, height: 8, channels: 3, background: '#123456' } });
    expect(sniffMediaType(await image.clone().jpeg().toBuffer())).toBe('image/jpeg');
    expect(sniffMediaType(await image.clone().png().toBuffer())).toBe('image/png');
    expect(sniffMediaType(await image.clone().webp().toBuffer())).toBe('image/webp');
    expect(sniffMediaType(await image.clone().gif().toBuffer())).toBe('image/gif');
    expect(sniffMediaType(await image.clone().avif().toBuffer())).toBe('image/avif');
    expect(sniffMediaType(await image.clone().tiff().toBuffer())).toBe('image/tiff');
  });

  it('tells AVIF from HEIC and video in ISO media files', () => {
    expect(sniffMediaType(ftyp('avif', 'mif1', 'miaf'))).toBe('image/avif');
    expect(sniffMediaType(ftyp('mif1', 'avif', 'miaf'))).toBe('image/avif');
    expect(sniffMediaType(ftyp('heic', 'mif1', 'heic'))).toBe('image/heic');
    expect(sniffMediaType(ftyp('mif1', 'heic'))).toBe('image/heif');
    expect(sniffMediaType(ftyp('isom', 'iso2', 'mp41'))).toBe('video/mp4');
    expect(sniffMediaType(ftyp('qt  '))).toBe('video/quicktime');
    expect(sniffMediaType(ftyp('3gp5'))).toBe('video/3gpp');
  });

  it('recognises video, documents and archives', () => {
    expect(sniffMediaType(bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81], 'B\x82\x84webm'))).toBe('video/webm');
    expect(sniffMediaType(bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81], 'B\x82\x88matroska'))).toBe(
      'video/x-matroska',
    );
    expect(sniffMediaType(bytes('RIFF', [0, 0, 0, 0], 'AVI LIST'))).toBe('video/x-msvideo');
    expect(sniffMediaType(bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 '))).toBe('image/webp');
    expect(sniffMediaType(bytes('FLV', [1, 5]))).toBe('video/x-flv');
    expect(sniffMediaType(bytes('%PDF-1.7\n'))).toBe('application/pdf');
    expect(sniffMediaType(bytes('PK', [3, 4, 20, 0]))).toBe('application/zip');
    expect(sniffMediaType(bytes([0x1f, 0x8b, 8, 0]))).toBe('application/gzip');
  });

  it('recognises markup after a byte-order mark, white space, an XML declaration or comments', () => {
    expect(sniffMediaType(bytes('<!DOCTYPE html><html><body>hi</body></html>'))).toBe('text/html');
    expect(sniffMediaType(bytes([0xef, 0xbb, 0xbf], '\n  <html lang="fr">'))).toBe('text/html');
    expect(sniffMediaType(bytes('<!-- a comment --><body>'))).toBe('text/html');
    expect(
      sniffMediaType(bytes('<?xml version="1.0"?>\n<!-- drawn --><svg xmlns="http://www.w3.org/2000/svg"/>')),
    ).toBe('image/svg+xml');
    expect(sniffMediaType(bytes('<svg width="10">'))).toBe('image/svg+xml');
    expect(sniffMediaType(bytes('<?xml version="1.0"?><feed/>'))).toBe('application/xml');
  });

  it('recognises pages that start with any tag, or with text or white space before their first tag', () => {
    for (const page of [
      '<style>body{}</style>',
      '<link rel="stylesheet" href="a.css">',
      '<img src="a.png">',
      '<CENTER>',
    ]) {
      expect(sniffMediaType(bytes(page)), page).toBe('text/html');
    }
    expect(sniffMediaType(bytes(' \n'.repeat(1500), '<img src="a.png">'))).toBe('text/html');
    expect(sniffMediaType(bytes('Welcome! '.repeat(200), '<a href="b.html">more</a>'))).toBe('text/html');
    expect(sniffMediaType(bytes('<!-- '.padEnd(2000, 'x'), ' -->\n<!doctype HTML>'))).toBe('text/html');
    expect(sniffMediaType(bytes('Caf\xe9 cr\xe8me <p>latin-1</p>'))).toBe('text/html');
    expect(sniffMediaType(Buffer.from('Café crème <p>UTF-8</p>', 'utf8'))).toBe('text/html');
  });

  it('looks for a tag within the first 4 KiB only, and only in text', () => {
    expect(sniffMediaType(bytes(' '.repeat(5000), '<html>'))).toBe('application/octet-stream');
    expect(sniffMediaType(bytes('leading text <br> then', [0], ' a NUL'))).toBe('application/octet-stream');
    expect(sniffMediaType(bytes([1, 2, 3, 0x1b], '<a href="x">'))).toBe('application/octet-stream');
  });

  it('never lets a tag in the first bytes shadow a binary signature', async () => {
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } })
      .png()
      .withMetadata({ exif: { IFD0: { ImageDescription: '<html><img src="x.png">' } } })
      .toBuffer();
    expect(png.subarray(0, 4096).includes('<html>')).toBe(true);
    expect(sniffMediaType(png)).toBe('image/png');
    expect(sniffMediaType(bytes([0x1a, 0x45, 0xdf, 0xa3], 'webm <p>'))).toBe('video/webm');
    expect(sniffMediaType(bytes('%PDF-1.4 <a href="x">'))).toBe('application/pdf');
  });

  it('calls anything else application/octet-stream, including empty input', () => {
    expect(sniffMediaType(Buffer.alloc(0))).toBe('application/octet-stream');
    expect(sniffMediaType(bytes('just some text'))).toBe('application/octet-stream');
    expect(sniffMediaType(bytes('RIFF'))).toBe('application/octet-stream');
  });

  it('lists exactly the five formats whose pixels we hash', () => {
    expect(['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif'].every(isHashedImageType)).toBe(true);
    expect(['image/tiff', 'image/svg+xml', 'image/heic', 'video/mp4', 'text/html'].some(isHashedImageType)).toBe(false);
  });
});
