import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { createFetcher, FetchError } from '../../src/fetcher/index.ts';
import { type Handler, type LoopbackServer, startLoopbackServer } from '../support/loopback-server.ts';
import { reasonOf, testFetchOptions } from './helpers.ts';

const servers: LoopbackServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(handler: Handler): Promise<LoopbackServer> {
  const server = await startLoopbackServer(handler);
  servers.push(server);
  return server;
}

async function fetchFrom(server: LoopbackServer, path: string, overrides = {}) {
  const fetcher = createFetcher(testFetchOptions({ allow: [server.pair], ...overrides }));
  try {
    return await fetcher.fetch(`${server.origin}${path}`);
  } finally {
    await fetcher.close();
  }
}

const exactOf = (bytes: Buffer) => ({
  sha256: createHash('sha256').update(bytes).digest('hex'),
  sha1: createHash('sha1').update(bytes).digest('hex'),
  md5: createHash('md5').update(bytes).digest('hex'),
  size: bytes.length,
});

const gradientPng = () =>
  sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 20, g: 120, b: 200 } } })
    .png()
    .toBuffer();

describe('time limits', () => {
  it('times out a server that never answers', async () => {
    const server = await serve(() => {});
    expect(await reasonOf(fetchFrom(server, '/slow', { timeoutMs: 300 }))).toBe('timeout');
  });

  it('times out a body that trickles past the total budget', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'image/png' });
      const timer = setInterval(() => res.write(Buffer.alloc(1)), 50);
      res.on('close', () => clearInterval(timer));
    });
    expect(await reasonOf(fetchFrom(server, '/trickle', { timeoutMs: 400 }))).toBe('timeout');
  });

  /** Serves `head`, then one more KB every 50 ms for a second: longer than a 300 ms fetch budget. */
  const slowBody = (head: Buffer) => {
    const tail = Array.from({ length: 20 }, (_, i) => Buffer.alloc(1024, 1 + (i % 5)));
    const whole = Buffer.concat([head, ...tail]);
    const serving = serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.write(head);
      const timer = setInterval(() => {
        const next = tail.shift();
        if (next) res.write(next);
        else res.end();
      }, 50);
      res.on('close', () => clearInterval(timer));
    });
    return { whole, serving };
  };
  const unknownBytes = Buffer.alloc(8192, 3);

  it('gives a body it streams without keeping the longer stream budget, so it ends hashed', async () => {
    const { whole, serving } = slowBody(unknownBytes);
    const fetched = await fetchFrom(await serving, '/video', { timeoutMs: 300, streamTimeoutMs: 30_000 });
    expect(fetched).toMatchObject({ mediaType: null, bytes: null, exact: exactOf(whole) });
  });

  it('keeps the short budget without a stream budget, and for a body it keeps (a page)', async () => {
    const { serving } = slowBody(unknownBytes);
    expect(await reasonOf(fetchFrom(await serving, '/video', { timeoutMs: 300 }))).toBe('timeout');
    const page = slowBody(Buffer.from(`<!doctype html><html><body>${'words '.repeat(1000)}`));
    const server = await page.serving;
    expect(await reasonOf(fetchFrom(server, '/page', { timeoutMs: 300, streamTimeoutMs: 30_000 }))).toBe('timeout');
  });

  it('times out a name that never resolves within the connect budget', async () => {
    const fetcher = createFetcher(testFetchOptions({ connectTimeoutMs: 200, resolve: () => new Promise(() => {}) }));
    expect(await reasonOf(fetcher.fetch('http://never-resolves.example/'))).toBe('timeout');
    await fetcher.close();
  });
});

describe('size limits', () => {
  it('cuts an endless body at the cap and stops the transfer', async () => {
    let closed: () => void = () => {};
    const transferStopped = new Promise<void>((resolve) => {
      closed = resolve;
    });
    const server = await serve((_req, res: ServerResponse) => {
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      const chunk = Buffer.alloc(64 * 1024, 0xab);
      const pump = () => {
        while (res.write(chunk)) {}
      };
      res.on('drain', pump);
      res.on('close', closed);
      pump();
    });
    const limits = { maxBytes: 256 * 1024, maxStreamBytes: 1024 * 1024 };
    expect(await reasonOf(fetchFrom(server, '/endless', limits))).toBe('too_large');
    await transferStopped;
  });

  it('cuts an endless image at the stream cap, not at the in-memory cap', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200);
      res.write(Buffer.from([0xff, 0xd8, 0xff, 0xe0]));
      const chunk = Buffer.alloc(64 * 1024, 0x11);
      const pump = () => {
        while (res.write(chunk)) {}
      };
      res.on('drain', pump);
      pump();
    });
    const limits = { maxBytes: 64 * 1024, maxStreamBytes: 512 * 1024 };
    expect(await reasonOf(fetchFrom(server, '/endless.jpg', limits))).toBe('too_large');
  });

  it('refuses a declared length over the stream cap without waiting for the body', async () => {
    // The body never comes: only the declared length can end this fetch before the (long) timeout.
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': String(50 * 1024 * 1024) });
      res.flushHeaders();
    });
    const options = { maxBytes: 1024 * 1024, maxStreamBytes: 8 * 1024 * 1024, timeoutMs: 20_000 };
    expect(await reasonOf(fetchFrom(server, '/big', options))).toBe('too_large');
  });

  it('refuses a decompression bomb: a small gzip body that inflates past the stream cap', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'text/html' }).end(bomb);
    });
    const limits = { maxBytes: 1024 * 1024, maxStreamBytes: 4 * 1024 * 1024 };
    expect(await reasonOf(fetchFrom(server, '/bomb', limits))).toBe('too_large');
  });

  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['deflate', deflateRawSync],
  ] as const)('decodes a %s body (%o) and types and hashes the decoded bytes', async (coding, encode) => {
    const png = await gradientPng();
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-encoding': coding }).end(encode(png));
    });
    const fetched = await fetchFrom(server, '/encoded');
    expect(fetched.bytes?.equals(png)).toBe(true);
    expect(fetched.mediaType).toBe('image/png');
    expect(fetched.exact).toEqual(exactOf(png));
  });

  it('refuses a body its declared coding cannot decode', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' }).end(Buffer.from('not gzip at all'));
    });
    expect(await reasonOf(fetchFrom(server, '/broken'))).toBe('network');
  });
});

describe('exact hashes of bodies past the in-memory cap', () => {
  it('keeps a small image in memory, with its exact hashes', async () => {
    const png = await gradientPng();
    const server = await serve((_req, res) => res.end(png));
    const fetched = await fetchFrom(server, '/small.png');
    expect(fetched.bytes?.equals(png)).toBe(true);
    expect(fetched.exact).toEqual(exactOf(png));
  });

  it('hashes an image larger than maxBytes without keeping it', async () => {
    const large = Buffer.concat([await gradientPng(), Buffer.alloc(3 * 1024 * 1024, 0x5a)]);
    const server = await serve((_req, res) => res.end(large));
    const fetched = await fetchFrom(server, '/large.png', { maxBytes: 1024 * 1024 });
    expect(fetched).toMatchObject({ mediaType: 'image/png', bytes: null, exact: exactOf(large) });
  });

  it('hashes a video of any size up to the stream cap, in chunks, without keeping it', async () => {
    // An ASF (WMV) header followed by filler, sent in many writes and gzip-encoded on the way.
    const asfHeader = Buffer.from([0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11, 0xa6, 0xd9, 0, 0xaa, 0, 0x62]);
    const video = Buffer.concat([asfHeader, ...Array.from({ length: 40 }, (_, i) => Buffer.alloc(100_000, i))]);
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.end(gzipSync(video));
    });
    const fetched = await fetchFrom(server, '/clip.wmv', { maxBytes: 256 * 1024 });
    expect(fetched).toMatchObject({ mediaType: 'video/x-ms-asf', bytes: null, exact: exactOf(video) });
  });

  it('hashes but does not keep a small body that is neither a decodable image nor a page', async () => {
    const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(500, 7)]);
    const server = await serve((_req, res) => res.end(zip));
    const fetched = await fetchFrom(server, '/archive.zip');
    expect(fetched).toMatchObject({ mediaType: 'application/zip', bytes: null, exact: exactOf(zip) });
  });
});

describe('redirects', () => {
  // /hop/N redirects (relatively) to /hop/N-1; /hop/0 serves an image.
  const chain =
    (png: Buffer): Handler =>
    (req, res) => {
      const n = Number(req.url?.split('/')[2]);
      if (n === 0) res.writeHead(200).end(png);
      else res.writeHead(n % 2 ? 302 : 308, { location: `../hop/${n - 1}` }).end('moved');
    };

  it('follows up to five redirects, recording each hop', async () => {
    const server = await serve(chain(await gradientPng()));
    const fetched = await fetchFrom(server, '/hop/5');
    expect(fetched.redirects).toEqual([4, 3, 2, 1, 0].map((n) => `${server.origin}/hop/${n}`));
    expect(fetched.finalUrl).toBe(`${server.origin}/hop/0`);
    expect(fetched.url).toBe(`${server.origin}/hop/5`);
    expect(fetched.mediaType).toBe('image/png');
  });

  it('refuses a sixth redirect before requesting it', async () => {
    const server = await serve(chain(await gradientPng()));
    expect(await reasonOf(fetchFrom(server, '/hop/6'))).toBe('too_many_redirects');
    expect(server.requests).not.toContain('/hop/0');
  });
});

describe('outcomes', () => {
  it('reports an HTTP error status with the status', async () => {
    const server = await serve((_req, res) => res.writeHead(404).end('gone'));
    const error = await fetchFrom(server, '/missing').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FetchError);
    expect(error).toMatchObject({ reason: 'http_status', status: 404 });
  });

  it('reports a refused connection', async () => {
    const server = await serve(() => {});
    await server.close();
    servers.pop();
    expect(await reasonOf(fetchFrom(server, '/'))).toBe('refused');
  });

  it('reports a name that does not resolve', async () => {
    const failing = createFetcher(
      testFetchOptions({ resolve: () => Promise.reject(Object.assign(new Error('nx'), { code: 'ENOTFOUND' })) }),
    );
    const empty = createFetcher(testFetchOptions({ resolve: async () => [] }));
    expect(await reasonOf(failing.fetch('http://no-such-host.example/'))).toBe('dns');
    expect(await reasonOf(empty.fetch('http://no-records.example/'))).toBe('dns');
    await Promise.all([failing.close(), empty.close()]);
  });

  it('types content from magic bytes: an image served as text/html is an image', async () => {
    const png = await gradientPng();
    const server = await serve((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(png));
    const fetched = await fetchFrom(server, '/disguised');
    expect(fetched.mediaType).toBe('image/png');
    expect(fetched.bytes?.equals(png)).toBe(true);
  });

  it('gives no media type to bytes it does not recognise, whatever the header says', async () => {
    const server = await serve((_req, res) => res.writeHead(200, { 'content-type': 'image/jpeg' }).end('plain text'));
    expect((await fetchFrom(server, '/fake')).mediaType).toBeNull();
  });

  it('ends fetches in flight on close', async () => {
    const server = await serve(() => {});
    const fetcher = createFetcher(testFetchOptions({ allow: [server.pair] }));
    const pending = reasonOf(fetcher.fetch(`${server.origin}/hang`));
    while (server.requests.length === 0) await new Promise((r) => setTimeout(r, 10));
    await fetcher.close();
    expect(await pending).toBe('network');
    expect(await reasonOf(fetcher.fetch(`${server.origin}/after`))).toBe('network');
  });
});
