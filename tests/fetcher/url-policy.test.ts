import { describe, expect, it } from 'vitest';
import { FetchError } from '../../src/fetcher/errors.ts';
import { checkOnionRoute, checkUrl, isAllowListedUrl, isInternalName } from '../../src/fetcher/url-policy.ts';
import { isOnionName } from '../../src/urls/host.ts';

function reasonOf(url: string, ports = [80, 443], allow: string[] = []): string {
  try {
    checkUrl(url, ports, allow);
    return 'accepted';
  } catch (error) {
    return error instanceof FetchError ? error.reason : 'other';
  }
}

describe('checkUrl', () => {
  it.each([
    ['file:///etc/passwd', 'unsupported_scheme'],
    ['ftp://example.org/a.jpg', 'unsupported_scheme'],
    ['gopher://example.org:70/_x', 'unsupported_scheme'],
    ['data:image/png;base64,AAAA', 'unsupported_scheme'],
    ['javascript:alert(1)', 'unsupported_scheme'],
    ['ws://example.org/', 'unsupported_scheme'],
    ['//example.org/relative', 'unsupported_scheme'],
    ['http://user:pw@example.org/', 'userinfo'],
    ['http://user@example.org/', 'userinfo'],
    ['http://example.org:8080/', 'port'],
    ['https://example.org:22/', 'port'],
    ['http://10.1.2.3/', 'blocked_address'],
    ['http://0/', 'blocked_address'],
    ['http://[fe80::1]/', 'blocked_address'],
    ['http://169.254.169.254/latest/meta-data/', 'blocked_address'],
    ['http://example.org/a.jpg', 'accepted'],
    ['https://example.org:443/a.jpg', 'accepted'],
    ['http://[3ffe:ffff::1]/', 'accepted'],
    ['http://localhost/', 'blocked_address'],
    ['http://intranet/', 'blocked_address'],
    ['http://printer.local./', 'blocked_address'],
  ])('%s -> %s', (url, expected) => {
    expect(reasonOf(url)).toBe(expected);
  });

  it('accepts other ports only when configured', () => {
    expect(reasonOf('http://example.org:8080/', [80, 443, 8080])).toBe('accepted');
  });

  it('exempts exactly an allowed pair from the port and address checks', () => {
    const allow = ['127.0.0.1:4000'];
    expect(reasonOf('http://127.0.0.1:4000/x', [80, 443], allow)).toBe('accepted');
    expect(reasonOf('http://127.1:4000/x', [80, 443], allow)).toBe('accepted');
    expect(reasonOf('http://127.0.0.1:4001/x', [80, 443, 4001], allow)).toBe('blocked_address');
    // A name is never exempt: it passes here only to be resolved and vetted at connect time.
    expect(checkUrl('http://images.example:4000/x', [80, 443, 4000], allow).allowListed).toBe(false);
    expect(reasonOf('http://localhost:4000/x', [80, 443, 4000], allow)).toBe('blocked_address');
  });

  it('gives the bare host, the port and whether the host is a literal', () => {
    const target = checkUrl('https://[2a00:1450::1]/p?q', [443], []);
    expect(target).toMatchObject({ host: '2a00:1450::1', port: 443, literal: '2a00:1450::1', allowListed: false });
    expect(checkUrl('http://Example.ORG/', [80], [])).toMatchObject({ host: 'example.org', literal: null });
  });
});

describe('isAllowListedUrl', () => {
  const allow = ['127.0.0.1:4000', '[::1]:4001'];
  it.each([
    ['http://127.0.0.1:4000/a.jpg', true],
    ['https://127.0.0.1:4000/', true],
    ['http://2130706433:4000/', true],
    ['http://[::1]:4001/x', true],
    ['http://127.0.0.1:4001/', false],
    ['http://127.0.0.1/', false],
    ['http://localhost:4000/', false],
    ['ftp://127.0.0.1:4000/', false],
    ['not a url', false],
  ])('%s -> %s', (url, expected) => {
    expect(isAllowListedUrl(url, allow)).toBe(expected);
  });

  it('accepts nothing when the list is empty', () => {
    expect(isAllowListedUrl('http://127.0.0.1:4000/', [])).toBe(false);
  });
});

describe('isInternalName', () => {
  it.each([
    ['localhost', true],
    ['LocalHost.', true],
    ['intranet', true],
    ['intranet.', true],
    ['app.localhost', true],
    ['printer.local', true],
    ['metadata.google.internal', true],
    ['home.arpa', true],
    ['router.home.arpa', true],
    ['nas.lan', true],
    ['example.org', false],
    ['localhost.example', false],
    ['local.example', false],
    ['lan.example', false],
    ['notlocal', true],
    ['my-internal.com', false],
    ['example.onion', false],
  ])('%s -> %s', (host, expected) => {
    expect(isInternalName(host)).toBe(expected);
  });
});

describe('.onion routing', () => {
  const target = (url: string) => checkUrl(url, [80, 443], []);

  it('recognises .onion names, with or without a trailing dot, in any case', () => {
    expect(isOnionName('abc.onion')).toBe(true);
    expect(isOnionName('www.abc.ONION.')).toBe(true);
    expect(isOnionName('onion.example')).toBe(false);
  });

  it('refuses .onion unless a proxy resolves names, and leaves other names alone', () => {
    expect(() => checkOnionRoute(target('http://abc.onion/'), false)).toThrow(
      expect.objectContaining({ reason: 'needs_proxy' }),
    );
    expect(() => checkOnionRoute(target('http://abc.onion/'), true)).not.toThrow();
    expect(() => checkOnionRoute(target('http://example.org/'), false)).not.toThrow();
  });
});
