import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetcher, type Resolver } from '../../src/fetcher/index.ts';
import { type LoopbackServer, startLoopbackServer } from '../support/loopback-server.ts';
import { guardConnections, reasonOf, testFetchOptions, unroutedGlobalAddress } from './helpers.ts';

// Every test here aims only at servers it started on 127.0.0.1 or ::1.

let v4: LoopbackServer;
let v6: LoopbackServer;
let other: LoopbackServer;

beforeAll(async () => {
  const ok = (_req: unknown, res: import('node:http').ServerResponse) => res.end('<!doctype html><p>hello</p>');
  v4 = await startLoopbackServer(ok);
  v6 = await startLoopbackServer(ok, '::1');
  other = await startLoopbackServer(ok);
});
afterAll(async () => {
  await Promise.all([v4.close(), v6.close(), other.close()]);
});

describe('with the allowance unset, every spelling of loopback is refused before any request', () => {
  // The test ports are configured as allowed ports so that the address check, not the port check, refuses.
  const spellings = (port: number, v6Port: number) => [
    `http://127.0.0.1:${port}/`,
    `http://127.1:${port}/`,
    `http://2130706433:${port}/`,
    `http://0x7f000001:${port}/`,
    `http://017700000001:${port}/`,
    `http://127.0.0.1.:${port}/`,
    `http://[::1]:${v6Port}/`,
    `http://[::ffff:127.0.0.1]:${port}/`,
    `http://[::ffff:7f00:1]:${port}/`,
    `http://[0:0:0:0:0:ffff:127.0.0.1]:${port}/`,
    `http://localhost:${port}/`,
    `http://localhost:${v6Port}/`,
    `http://0.0.0.0:${port}/`,
    `http://0:${port}/`,
  ];

  it('refuses each spelling with blocked_address and the servers see nothing', async () => {
    const fetcher = createFetcher(testFetchOptions({ ports: [v4.port, v6.port] }));
    for (const url of spellings(v4.port, v6.port)) {
      expect(await reasonOf(fetcher.fetch(url)), url).toBe('blocked_address');
    }
    expect(v4.requests).toEqual([]);
    expect(v6.requests).toEqual([]);
    await fetcher.close();
  });

  it('refuses a name that an injected resolver maps to loopback, and one with any internal record', async () => {
    const guard = guardConnections();
    const records = {
      'rebind.example': [{ address: '127.0.0.1', family: 4 as const }],
      'mixed.example': [
        { address: unroutedGlobalAddress, family: 6 as const },
        { address: '127.0.0.1', family: 4 as const },
      ],
      'v6.example': [{ address: '::1', family: 6 as const }],
    };
    const fetcher = createFetcher(
      testFetchOptions({
        ports: [v4.port, v6.port],
        resolve: async (host) => records[host as keyof typeof records] ?? [],
      }),
    );
    expect(await reasonOf(fetcher.fetch(`http://rebind.example:${v4.port}/`))).toBe('blocked_address');
    expect(await reasonOf(fetcher.fetch(`http://mixed.example:${v4.port}/`))).toBe('blocked_address');
    expect(await reasonOf(fetcher.fetch(`http://v6.example:${v6.port}/`))).toBe('blocked_address');
    expect(v4.requests).toEqual([]);
    expect(v6.requests).toEqual([]);
    await fetcher.close();
    guard.restore();
    expect(guard.refused).toEqual([]);
  });

  it('refuses an allowed port number on loopback when the pair is not allowed', async () => {
    const fetcher = createFetcher(testFetchOptions());
    expect(await reasonOf(fetcher.fetch(`${v4.origin}/`))).toBe('port');
    expect(v4.requests).toEqual([]);
    await fetcher.close();
  });
});

describe('names that can only be internal', () => {
  /** A resolver that records every lookup and answers with an address nothing routes. */
  const recordingResolver = () => {
    const asked: string[] = [];
    const resolve: Resolver = async (host) => {
      asked.push(host);
      return [{ address: unroutedGlobalAddress, family: 6 }];
    };
    return { asked, resolve };
  };

  it.each([
    'http://intranet/',
    'http://intranet./',
    'http://localhost/',
    'http://LOCALHOST./',
    'http://app.localhost/',
    'http://printer.local/',
    'http://metadata.google.internal/',
    'http://router.home.arpa/',
    'http://nas.lan/',
  ])('refuses %s before asking the resolver or connecting', async (url) => {
    const guard = guardConnections();
    const { asked, resolve } = recordingResolver();
    const fetcher = createFetcher(testFetchOptions({ resolve }));
    expect(await reasonOf(fetcher.fetch(url))).toBe('blocked_address');
    await fetcher.close();
    guard.restore();
    expect(asked).toEqual([]);
    expect(guard.refused).toEqual([]);
  });

  it('refuses a redirect to an internal name', async () => {
    const redirecting = await startLoopbackServer((_req, res) => {
      res.writeHead(302, { location: 'http://wiki.internal/' }).end();
    });
    const { asked, resolve } = recordingResolver();
    const fetcher = createFetcher(testFetchOptions({ allow: [redirecting.pair], resolve }));
    expect(await reasonOf(fetcher.fetch(`${redirecting.origin}/start`))).toBe('blocked_address');
    expect(asked).toEqual([]);
    await fetcher.close();
    await redirecting.close();
  });
});

describe('.onion without a proxy', () => {
  it('is refused with needs_proxy before any lookup (RFC 7686)', async () => {
    const guard = guardConnections();
    let lookups = 0;
    const fetcher = createFetcher(
      testFetchOptions({
        resolve: () => {
          lookups++;
          throw new Error('a .onion name must never be resolved');
        },
      }),
    );
    expect(await reasonOf(fetcher.fetch('http://exampleonionaddressxyz.onion/a.jpg'))).toBe('needs_proxy');
    expect(await reasonOf(fetcher.fetch('https://sub.exampleonionaddressxyz.ONION./'))).toBe('needs_proxy');
    await fetcher.close();
    guard.restore();
    expect(lookups).toBe(0);
    expect(guard.refused).toEqual([]);
  });
});

describe('the test-only allowance', () => {
  it('lets exactly the allowed pair through, on IPv4 and IPv6', async () => {
    const fetcher = createFetcher(testFetchOptions({ allow: [v4.pair, v6.pair] }));
    const fetched = await fetcher.fetch(`${v4.origin}/page`);
    expect(fetched).toMatchObject({ status: 200, remoteAddress: '127.0.0.1', mediaType: 'text/html' });
    const fetched6 = await fetcher.fetch(`${v6.origin}/page6`);
    expect(fetched6.remoteAddress).toBe('::1');
    expect(v4.requests).toContain('/page');
    expect(v6.requests).toContain('/page6');
    await fetcher.close();
  });

  it('does not extend to a name resolving to the allowed address', async () => {
    const fetcher = createFetcher(
      testFetchOptions({ allow: [v4.pair], resolve: async () => [{ address: '127.0.0.1', family: 4 }] }),
    );
    expect(await reasonOf(fetcher.fetch(`http://localhost:${v4.port}/by-name`))).toBe('port');
    const withPort = createFetcher(
      testFetchOptions({
        allow: [v4.pair],
        ports: [v4.port],
        resolve: async () => [{ address: '127.0.0.1', family: 4 }],
      }),
    );
    expect(await reasonOf(withPort.fetch(`http://allowed-by-name.example:${v4.port}/by-name`))).toBe('blocked_address');
    expect(v4.requests).not.toContain('/by-name');
    await Promise.all([fetcher.close(), withPort.close()]);
  });

  it('refuses a redirect from an allowed pair to another loopback port', async () => {
    const redirecting = await startLoopbackServer((_req, res) => {
      res.writeHead(302, { location: `${other.origin}/stolen` }).end();
    });
    const fetcher = createFetcher(testFetchOptions({ allow: [redirecting.pair], ports: [80, 443, other.port] }));
    expect(await reasonOf(fetcher.fetch(`${redirecting.origin}/start`))).toBe('blocked_address');
    expect(redirecting.requests).toEqual(['/start']);
    expect(other.requests).toEqual([]);
    await fetcher.close();
    await redirecting.close();
  });

  it('refuses a redirect to a non-http scheme or to user-info', async () => {
    const targets = ['file:///etc/passwd', 'ftp://127.0.0.1/x', `http://user:pw@${v4.pair}/x`];
    const redirecting = await startLoopbackServer((req, res) => {
      res.writeHead(302, { location: targets[Number(req.url?.slice(1))] }).end();
    });
    const fetcher = createFetcher(testFetchOptions({ allow: [redirecting.pair, v4.pair] }));
    expect(await reasonOf(fetcher.fetch(`${redirecting.origin}/0`))).toBe('unsupported_scheme');
    expect(await reasonOf(fetcher.fetch(`${redirecting.origin}/1`))).toBe('unsupported_scheme');
    expect(await reasonOf(fetcher.fetch(`${redirecting.origin}/2`))).toBe('userinfo');
    await fetcher.close();
    await redirecting.close();
  });
});

describe('schemes', () => {
  it.each(['file:///etc/passwd', 'ftp://127.0.0.1/', 'gopher://127.0.0.1/', 'data:text/html,hi', 'ws://127.0.0.1/'])(
    'refuses %s',
    async (url) => {
      const fetcher = createFetcher(testFetchOptions());
      expect(await reasonOf(fetcher.fetch(url))).toBe('unsupported_scheme');
      await fetcher.close();
    },
  );
});
