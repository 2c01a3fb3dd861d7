import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { createFetcher } from '../../src/fetcher/index.ts';
import { parseRefresh } from '../../src/fetcher/meta-refresh.ts';
import { type Handler, type LoopbackServer, startLoopbackServer } from '../support/loopback-server.ts';
import { reasonOf, testFetchOptions } from './helpers.ts';

const servers: LoopbackServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function fetchFrom(handler: Handler, path: string) {
  const server = await startLoopbackServer(handler);
  servers.push(server);
  const fetcher = createFetcher(testFetchOptions({ allow: [server.pair] }));
  try {
    return { server, result: await fetcher.fetch(`${server.origin}${path}`) };
  } finally {
    await fetcher.close();
  }
}

const refreshPage = (content: string) =>
  `<!doctype html><html><head><meta http-equiv="Refresh" content="${content}"></head><body>moved</body></html>`;

const png = () =>
  sharp({ create: { width: 32, height: 24, channels: 3, background: { r: 200, g: 40, b: 90 } } })
    .png()
    .toBuffer();

describe('parseRefresh', () => {
  it('reads the delay and the address in the forms browsers accept', () => {
    expect(parseRefresh('0; url=/next')).toEqual({ delay: 0, url: '/next' });
    expect(parseRefresh('0;URL=http://example.test/a?b=c')).toEqual({ delay: 0, url: 'http://example.test/a?b=c' });
    expect(parseRefresh("3, url = 'quoted.html' trailing")).toEqual({ delay: 3, url: 'quoted.html' });
    expect(parseRefresh('1.5; "/x y"')).toEqual({ delay: 1, url: '/x y' });
    expect(parseRefresh('0 /bare')).toEqual({ delay: 0, url: '/bare' });
  });

  it('names no address for a plain reload or a malformed value', () => {
    expect(parseRefresh('30')).toBeNull();
    expect(parseRefresh('0; url=')).toBeNull();
    expect(parseRefresh('url=/no-delay')).toBeNull();
  });
});

describe('a meta refresh', () => {
  it('is followed as a redirect hop to the content', async () => {
    const image = await png();
    const { server, result } = await fetchFrom((req, res) => {
      if (req.url === '/landing') res.end(refreshPage('0; url=/content/picture.png#top'));
      else res.end(image);
    }, '/landing');
    expect(result).toMatchObject({
      status: 200,
      mediaType: 'image/png',
      finalUrl: `${server.origin}/content/picture.png`,
    });
    expect(result.redirects).toEqual([`${server.origin}/content/picture.png`]);
    expect(result.bytes?.equals(image)).toBe(true);
  });

  it('counts toward the redirect limit, mixed with HTTP redirects', async () => {
    // /hop/N: odd N refresh to /hop/N-1, even N answer 302; /hop/0 is the content.
    const chain: Handler = (req, res) => {
      const n = Number(req.url?.split('/')[2]);
      if (n === 0) res.end('<!doctype html><p>the end');
      else if (n % 2 === 1) res.end(refreshPage(`0; url=/hop/${n - 1}`));
      else res.writeHead(302, { location: `/hop/${n - 1}` }).end();
    };
    const { result } = await fetchFrom(chain, '/hop/5');
    expect(result.redirects).toHaveLength(5);
    const server = await startLoopbackServer(chain);
    servers.push(server);
    const fetcher = createFetcher(testFetchOptions({ allow: [server.pair] }));
    expect(await reasonOf(fetcher.fetch(`${server.origin}/hop/6`))).toBe('too_many_redirects');
    expect(server.requests).not.toContain('/hop/0');
    await fetcher.close();
  });

  it('goes through the same checks as any hop: a refresh to an internal address is refused', async () => {
    const server = await startLoopbackServer((_req, res) => res.end(refreshPage('0; url=http://10.0.0.1/admin')));
    servers.push(server);
    const fetcher = createFetcher(testFetchOptions({ allow: [server.pair] }));
    expect(await reasonOf(fetcher.fetch(`${server.origin}/landing`))).toBe('blocked_address');
    await fetcher.close();
  });

  it('is not followed when later than a glance, to the page itself, or to another scheme', async () => {
    for (const content of ['30; url=/elsewhere', '0; url=/landing', '0; url=javascript:alert(1)']) {
      const { server, result } = await fetchFrom((_req, res) => res.end(refreshPage(content)), '/landing');
      expect(result).toMatchObject({ mediaType: 'text/html', finalUrl: `${server.origin}/landing`, redirects: [] });
      expect(server.requests).toEqual(['/landing']);
    }
  });
});
