import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetcher } from '../../src/fetcher/index.ts';
import { sniffMediaType } from '../../src/signals/media-type.ts';
import { type LoopbackServer, startLoopbackServer } from '../support/loopback-server.ts';
import { testFetchOptions } from './helpers.ts';

// The fetcher types content with the hasher's own sniffer: the two must never disagree about
// what a body is, or a video would be dropped as "not media" or an image kept as something else.

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));
const ftyp = (major: string, ...compatible: string[]) =>
  bytes([0, 0, 0, 16 + 4 * compatible.length], 'ftyp', major, [0, 0, 0, 0], compatible.join(''), 'media data');
const tsPackets = Buffer.concat(Array.from({ length: 3 }, () => bytes([0x47], 'x'.repeat(187))));

/** Headers of formats a hotline meets, each padded like a real file, with the type both must give. */
const samples: [string, Buffer][] = [
  ['video/x-ms-asf', bytes([0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11, 0xa6, 0xd9], 'wmv body')],
  ['video/x-flv', bytes('FLV', [1, 5, 0, 0, 0, 9])],
  ['video/mpeg', bytes([0, 0, 1, 0xba, 0x44], 'program stream')],
  ['video/x-msvideo', bytes('RIFF', [0, 0, 0, 0], 'AVI LIST')],
  ['video/mp2t', tsPackets],
  ['image/x-icon', bytes([0, 0, 1, 0, 1, 0, 16, 16])],
  ['application/zip', bytes('PK', [3, 4, 20, 0])],
  ['application/vnd.rar', bytes('Rar!', [0x1a, 7, 1, 0])],
  ['application/x-7z-compressed', bytes([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4])],
  // An mp4 listing the avif brand is still a video: only the major brand (or mif1 + avif) makes an image.
  ['video/mp4', ftyp('mp42', 'mp42', 'avif')],
  ['video/3gpp', ftyp('3gp5', '3gp5')],
  ['video/webm', bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81], 'B\x82\x84webm')],
];

let server: LoopbackServer;
let png: Buffer;
beforeAll(async () => {
  png = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#336699' } })
    .png()
    .toBuffer();
  server = await startLoopbackServer((req, res) => {
    const index = Number(req.url?.slice(1));
    // A misleading header on purpose: typing must come from the bytes alone.
    res.writeHead(200, { 'content-type': 'text/plain' }).end(index < 0 ? png : samples[index]?.[1]);
  });
});
afterAll(() => server.close());

describe('the fetcher types content like the hasher', () => {
  it.each(samples.map(([type, body], index) => [type, body, index] as const))(
    'types %s as the signals sniffer does, and hashes it without keeping it',
    async (expected, body, index) => {
      const fetcher = createFetcher(testFetchOptions({ allow: [server.pair] }));
      const fetched = await fetcher.fetch(`${server.origin}/${index}`);
      await fetcher.close();
      expect(fetched.mediaType).toBe(sniffMediaType(body));
      expect(fetched.mediaType).toBe(expected);
      expect(fetched.bytes).toBeNull();
      expect(fetched.exact.size).toBe(body.length);
    },
  );

  it('keeps a decodable image', async () => {
    const fetcher = createFetcher(testFetchOptions({ allow: [server.pair] }));
    const fetched = await fetcher.fetch(`${server.origin}/-1`);
    await fetcher.close();
    expect(fetched.mediaType).toBe('image/png');
    expect(fetched.bytes?.equals(png)).toBe(true);
  });
});
