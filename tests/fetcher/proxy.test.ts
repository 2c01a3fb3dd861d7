import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetcher, fetchOptionsFromConfig, type Resolver } from '../../src/fetcher/index.ts';
import { testConfig } from '../support/config.ts';
import { type LoopbackServer, startLoopbackServer } from '../support/loopback-server.ts';
import { guardConnections, reasonOf, testFetchOptions, unroutedGlobalAddress } from './helpers.ts';
import { startConnectProxy, startSilentProxy, startSocksProxy, type TestProxy } from './proxies.ts';

// The test proxies record what they are asked for and always connect to the loopback origin, so a
// destination outside loopback is only ever a string they receive; guardConnections makes sure
// this process itself connects to nothing but loopback.

let origin: LoopbackServer;
let png: Buffer;

beforeAll(async () => {
  png = await sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 250, g: 80, b: 10 } } })
    .png()
    .toBuffer();
  origin = await startLoopbackServer((_req, res) => res.end(png));
});
afterAll(() => origin.close());

/** Answers from the same never-routed block as unroutedGlobalAddress, one per test name. */
const records: Record<string, string> = {
  'images.example': unroutedGlobalAddress,
  'unreachable.example': '3ffe:ffff::2',
  'refusing.example': '3ffe:ffff::3',
  'rebind.example': '127.0.0.1',
};
const bracketed = (address: string) => `[${address}]`;

/** A resolver over `records` that counts its calls. */
function countingResolver(): { resolve: Resolver; calls: () => number } {
  let calls = 0;
  const resolve: Resolver = async (host) => {
    calls++;
    const address = records[host];
    return address ? [{ address, family: address.includes(':') ? 6 : 4 }] : [];
  };
  return { resolve, calls: () => calls };
}

async function withProxy(proxy: TestProxy, scheme: string, run: (url: string) => Promise<void>) {
  const guard = guardConnections();
  try {
    await run(proxy.url.replace(/^[a-z0-9]+:/, `${scheme}:`));
  } finally {
    guard.restore();
    await proxy.close();
  }
  expect(guard.refused).toEqual([]);
}

describe('through a socks5h:// proxy', () => {
  it('hands the name over unresolved, so .onion addresses work', async () => {
    const proxy = await startSocksProxy(origin.port);
    await withProxy(proxy, 'socks5h', async (url) => {
      const { resolve, calls } = countingResolver();
      const fetcher = createFetcher(testFetchOptions({ proxy: url, resolve }));
      const fetched = await fetcher.fetch('http://exampleonionaddressxyz.onion/image.png');
      expect(proxy.destinations).toEqual(['exampleonionaddressxyz.onion:80']);
      expect(calls()).toBe(0);
      expect(fetched).toMatchObject({ mediaType: 'image/png', viaProxy: true, remoteAddress: '' });
      expect(fetched.bytes?.equals(png)).toBe(true);
      await fetcher.close();
    });
  });

  it('maps the proxy refusing a destination to a reason', async () => {
    const proxy = await startSocksProxy(origin.port, { 'unreachable.example': 4, 'refusing.example': 5 });
    await withProxy(proxy, 'socks5h', async (url) => {
      const fetcher = createFetcher(testFetchOptions({ proxy: url }));
      expect(await reasonOf(fetcher.fetch('http://unreachable.example/'))).toBe('dns');
      expect(await reasonOf(fetcher.fetch('http://refusing.example/'))).toBe('refused');
      await fetcher.close();
    });
  });
});

describe.each([
  [
    'socks5',
    startSocksProxy,
    { [records['unreachable.example'] as string]: 4, [records['refusing.example'] as string]: 5 },
    ['dns', 'refused'],
  ],
  [
    'http',
    startConnectProxy,
    {
      [bracketed(records['unreachable.example'] as string)]: 502,
      [bracketed(records['refusing.example'] as string)]: 403,
    },
    ['network', 'blocked_address'],
  ],
] as const)('through a %s:// proxy', (scheme, start, failures, expectedReasons) => {
  it('resolves the name itself and hands the proxy only the vetted address', async () => {
    const proxy = await start(origin.port);
    await withProxy(proxy, scheme, async (url) => {
      const { resolve } = countingResolver();
      const fetcher = createFetcher(testFetchOptions({ proxy: url, resolve }));
      const fetched = await fetcher.fetch('http://images.example/image.png');
      expect(proxy.destinations).toEqual([`${bracketed(unroutedGlobalAddress)}:80`]);
      expect(fetched).toMatchObject({ mediaType: 'image/png', viaProxy: true, remoteAddress: unroutedGlobalAddress });
      await fetcher.close();
    });
  });

  it('refuses a name resolving to an internal address without asking the proxy', async () => {
    const proxy = await start(origin.port);
    await withProxy(proxy, scheme, async (url) => {
      const { resolve } = countingResolver();
      const fetcher = createFetcher(testFetchOptions({ proxy: url, resolve }));
      expect(await reasonOf(fetcher.fetch('http://rebind.example/'))).toBe('blocked_address');
      expect(proxy.destinations).toEqual([]);
      await fetcher.close();
    });
  });

  it('refuses .onion (only socks5h:// can reach it) without a lookup or asking the proxy', async () => {
    const proxy = await start(origin.port);
    await withProxy(proxy, scheme, async (url) => {
      const { resolve, calls } = countingResolver();
      const fetcher = createFetcher(testFetchOptions({ proxy: url, resolve }));
      expect(await reasonOf(fetcher.fetch('http://exampleonionaddressxyz.onion/'))).toBe('needs_proxy');
      expect(calls()).toBe(0);
      expect(proxy.destinations).toEqual([]);
      await fetcher.close();
    });
  });

  it('maps the proxy refusing a destination to a reason', async () => {
    const proxy = await start(origin.port, failures);
    await withProxy(proxy, scheme, async (url) => {
      const { resolve } = countingResolver();
      const fetcher = createFetcher(testFetchOptions({ proxy: url, resolve }));
      const unreachable = await reasonOf(fetcher.fetch('http://unreachable.example/'));
      const refusing = await reasonOf(fetcher.fetch('http://refusing.example/'));
      expect([unreachable, refusing]).toEqual(expectedReasons);
      await fetcher.close();
    });
  });
});

describe.each([
  ['socks5h', startSocksProxy],
  ['socks5', startSocksProxy],
  ['http', startConnectProxy],
] as const)('in %s:// mode', (scheme, start) => {
  it('refuses internal literals, internal names and wrong ports before asking the proxy', async () => {
    const proxy = await start(origin.port);
    await withProxy(proxy, scheme, async (url) => {
      const { resolve, calls } = countingResolver();
      const fetcher = createFetcher(testFetchOptions({ proxy: url, resolve }));
      for (const target of ['127.0.0.1', '[::1]', '10.0.0.1', 'localhost', 'intranet', 'db.internal', 'nas.lan']) {
        expect(await reasonOf(fetcher.fetch(`http://${target}/`)), target).toBe('blocked_address');
      }
      expect(await reasonOf(fetcher.fetch('http://images.example:22/'))).toBe('port');
      expect(proxy.destinations).toEqual([]);
      expect(calls()).toBe(0);
      await fetcher.close();
    });
  });
});

describe('through an http:// proxy that accepts and never answers', () => {
  it('fails at the connect deadline and closes its connection to the proxy', async () => {
    const proxy = await startSilentProxy();
    await withProxy(proxy, 'http', async (url) => {
      const { resolve } = countingResolver();
      const fetcher = createFetcher(testFetchOptions({ proxy: url, resolve, connectTimeoutMs: 300 }));
      expect(await reasonOf(fetcher.fetch('http://images.example/'))).toBe('timeout');
      expect(proxy.destinations).toHaveLength(1);
      // Without its own abort the tunnel socket stayed open, and this would wait forever.
      await proxy.allClosed();
      await fetcher.close();
    });
  });
});

describe('proxy configuration', () => {
  it('passes socks5, socks5h and http proxies from the config to the fetcher', () => {
    for (const proxy of ['socks5://127.0.0.1:9050', 'socks5h://127.0.0.1:9050', 'http://127.0.0.1:3128']) {
      expect(fetchOptionsFromConfig(testConfig({ HOTLINE_PROXY: proxy })).proxy).toBe(proxy);
    }
    expect(fetchOptionsFromConfig(testConfig()).proxy).toBeUndefined();
  });

  it('refuses other proxy schemes at config validation', () => {
    for (const proxy of ['https://127.0.0.1:3128', 'socks4://127.0.0.1:1080', 'ftp://127.0.0.1/']) {
      expect(() => testConfig({ HOTLINE_PROXY: proxy }), proxy).toThrow(/HOTLINE_PROXY/);
    }
  });

  it('reads the stream cap from the config, 2 GiB by default', () => {
    expect(fetchOptionsFromConfig(testConfig()).maxStreamBytes).toBe(2 ** 31);
    expect(fetchOptionsFromConfig(testConfig({ HOTLINE_FETCH_MAX_STREAM_BYTES: '1000' })).maxStreamBytes).toBe(1000);
  });
});
