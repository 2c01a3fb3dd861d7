import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { sniffMediaType } from '../../../src/triage/fetcher/media-type.ts';

const noise = () => {
  const width = 32;
  const height = 24;
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 37) % 251;
  return sharp(pixels, { raw: { width, height, channels: 3 } });
};

/** An ISO BMFF `ftyp` box with the given major and compatible brands. */
function ftyp(major: string, ...compatible: string[]): Buffer {
  const size = 16 + 4 * compatible.length;
  const box = Buffer.alloc(size + 8);
  box.writeUInt32BE(size, 0);
  box.write(`ftyp${major}`, 4, 'latin1');
  for (const [i, brand] of compatible.entries()) box.write(brand, 16 + 4 * i, 'latin1');
  return box;
}

describe('sniffMediaType', () => {
  it.each([
    ['image/jpeg', () => noise().jpeg().toBuffer()],
    ['image/png', () => noise().png().toBuffer()],
    ['image/webp', () => noise().webp().toBuffer()],
    ['image/gif', () => noise().gif().toBuffer()],
    ['image/avif', () => noise().avif().toBuffer()],
    ['image/tiff', () => noise().tiff().toBuffer()],
  ])('recognises %s made by sharp', async (expected, make) => {
    expect(sniffMediaType(await make())).toBe(expected);
  });

  it.each([
    ['video/mp4', ftyp('isom', 'isom', 'iso2', 'mp41')],
    ['video/mp4', ftyp('mp42', 'mp42', 'isom')],
    ['video/quicktime', ftyp('qt  ', 'qt  ')],
    ['image/avif', ftyp('mif1', 'mif1', 'avif', 'miaf')],
    ['image/heic', ftyp('heic', 'mif1', 'heic')],
    ['video/webm', Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x82, 0x84]), Buffer.from('webm')])],
    [
      'video/x-matroska',
      Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x82, 0x88]), Buffer.from('matroska')]),
    ],
    ['image/bmp', Buffer.concat([Buffer.from('BM'), Buffer.alloc(60)])],
    ['application/pdf', Buffer.from('%PDF-1.7\n')],
  ])('recognises %s from its header', (expected, bytes) => {
    expect(sniffMediaType(bytes)).toBe(expected);
  });

  it.each([
    '<!DOCTYPE html><html><body>x</body></html>',
    '\ufeff  \n<html lang="fr">',
    '<HEAD><title>x</title>',
    '<!-- comment --><div>x</div>',
    '<p>hello',
    '<?xml version="1.0"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN"><html xmlns="http://www.w3.org/1999/xhtml">',
  ])('recognises HTML: %s', (text) => {
    expect(sniffMediaType(Buffer.from(text))).toBe('text/html');
  });

  it('recognises SVG', () => {
    expect(sniffMediaType(Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe(
      'image/svg+xml',
    );
  });

  it.each([
    ['plain text', Buffer.from('hello world')],
    ['a tag-like word that is not an HTML opening', Buffer.from('<pre-formatted>')],
    ['empty', Buffer.alloc(0)],
    ['a truncated JPEG marker', Buffer.from([0xff, 0xd8])],
    ['JSON', Buffer.from('{"a":1}')],
  ])('gives null for %s', (_label, bytes) => {
    expect(sniffMediaType(bytes)).toBeNull();
  });
});
