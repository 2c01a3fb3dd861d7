import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetcher, fetchOptionsFromConfig } from '../../../src/triage/fetcher/index.ts';
import { testConfig } from '../../support/config.ts';
import { type LoopbackServer, startLoopbackServer } from '../../support/loopback-server.ts';
import { reasonOf, testFetchOptions } from './helpers.ts';
import { startConnectProxy, startSocksProxy, type TestProxy } from './proxies.ts';

let origin: LoopbackServer;
let png: Buffer;

beforeAll(async () => {
  png = await sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 250, g: 80, b: 10 } } })
    .png()
    .toBuffer();
  origin = await startLoopbackServer((_req, res) => res.end(png));
});
afterAll(() => origin.close());

describe.each([
  // Proxy answers for two destinations, and the reasons they must map to.
  ['SOCKS5', startSocksProxy, { 'unreachable.onion': 4, 'refusing.example': 5 }, ['dns', 'refused']],
  [
    'HTTP CONNECT',
    startConnectProxy,
    { 'unreachable.onion': 502, 'refusing.example': 403 },
    ['network', 'blocked_address'],
  ],
] as const)('through a %s proxy', (_name, start, failures, expectedReasons) => {
  let proxy: TestProxy;
  beforeAll(async () => {
    proxy = await start(origin.port, failures);
  });
  afterAll(() => proxy.close());

  it('hands the name to the proxy unresolved, so .onion addresses work', async () => {
    const fetcher = createFetcher(
      testFetchOptions({
        proxy: proxy.url,
        resolve: () => Promise.reject(new Error('the fetcher must not resolve names itself behind a proxy')),
      }),
    );
    const fetched = await fetcher.fetch('http://exampleonionaddressxyz.onion/image.png');
    expect(proxy.destinations).toContain('exampleonionaddressxyz.onion:80');
    expect(origin.requests).toContain('/image.png');
    expect(fetched).toMatchObject({ mediaType: 'image/png', viaProxy: true, remoteAddress: '' });
    expect(fetched.bytes.equals(png)).toBe(true);
    await fetcher.close();
  });

  it('maps the proxy refusing a destination to a reason', async () => {
    const fetcher = createFetcher(testFetchOptions({ proxy: proxy.url }));
    const unreachable = await reasonOf(fetcher.fetch('http://unreachable.onion/'));
    const refusing = await reasonOf(fetcher.fetch('http://refusing.example/'));
    expect([unreachable, refusing]).toEqual(expectedReasons);
    await fetcher.close();
  });

  it('still refuses internal IP literals and wrong ports before asking the proxy', async () => {
    const fetcher = createFetcher(testFetchOptions({ proxy: proxy.url }));
    const before = proxy.destinations.length;
    expect(await reasonOf(fetcher.fetch('http://127.0.0.1/'))).toBe('blocked_address');
    expect(await reasonOf(fetcher.fetch('http://[::1]/'))).toBe('blocked_address');
    expect(await reasonOf(fetcher.fetch('http://10.0.0.1/'))).toBe('blocked_address');
    expect(await reasonOf(fetcher.fetch('http://example.onion:22/'))).toBe('port');
    expect(proxy.destinations.length).toBe(before);
    await fetcher.close();
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
});
