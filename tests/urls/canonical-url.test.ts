import { describe, expect, it } from 'vitest';
import { type CanonicalUrl, canonicaliseUrl } from '../../src/urls/canonical-url.ts';
import { joinCanonical, safeBrowsingParts } from '../../src/urls/safe-browsing.ts';
import { TRACKING_PARAMS } from '../../src/urls/tracking-params.ts';

function accepted(input: string): CanonicalUrl {
  const result = canonicaliseUrl(input);
  if (!result.ok) throw new Error(`${JSON.stringify(input)} was refused: ${result.error}`);
  return result;
}

const canonicalOf = (input: string) => accepted(input).canonical;

function specCanonical(input: string): string {
  const parts = safeBrowsingParts(input);
  if ('error' in parts) throw new Error(`${JSON.stringify(input)}: ${parts.error}`);
  return joinCanonical(parts);
}

/**
 * Every example of https://developers.google.com/safe-browsing/v4/urls-hashing#canonicalization.
 * `reachable: false` marks the five whose host no browser accepts (`host#.com`, control bytes,
 * a space): the spec layer still canonicalises them; canonicaliseUrl refuses them as not_a_url.
 * The spec's raw bytes "\x01\x80" are written percent-encoded: JS strings are not bytes, and the
 * spec's unescaping step makes both spellings the same URL.
 */
const SPEC_EXAMPLES: { input: string; canonical: string; reachable?: false }[] = [
  { input: 'http://host/%25%32%35', canonical: 'http://host/%25' },
  { input: 'http://host/%25%32%35%25%32%35', canonical: 'http://host/%25%25' },
  { input: 'http://host/%2525252525252525', canonical: 'http://host/%25' },
  { input: 'http://host/asdf%25%32%35asd', canonical: 'http://host/asdf%25asd' },
  { input: 'http://host/%%%25%32%35asd%%', canonical: 'http://host/%25%25%25asd%25%25' },
  { input: 'http://www.google.com/', canonical: 'http://www.google.com/' },
  {
    input: 'http://%31%36%38%2e%31%38%38%2e%39%39%2e%32%36/%2E%73%65%63%75%72%65/%77%77%77%2E%65%62%61%79%2E%63%6F%6D/',
    canonical: 'http://168.188.99.26/.secure/www.ebay.com/',
  },
  {
    input:
      'http://195.127.0.11/uploads/%20%20%20%20/.verify/.eBaysecure=updateuserdataxplimnbqmn-xplmvalidateinfoswqpcmlx=hgplmcx/',
    canonical:
      'http://195.127.0.11/uploads/%20%20%20%20/.verify/.eBaysecure=updateuserdataxplimnbqmn-xplmvalidateinfoswqpcmlx=hgplmcx/',
  },
  {
    input: 'http://host%23.com/%257Ea%2521b%2540c%2523d%2524e%25f%255E00%252611%252A22%252833%252944_55%252B',
    canonical: 'http://host%23.com/~a!b@c%23d$e%25f^00&11*22(33)44_55+',
    reachable: false,
  },
  { input: 'http://3279880203/blah', canonical: 'http://195.127.0.11/blah' },
  { input: 'http://www.google.com/blah/..', canonical: 'http://www.google.com/' },
  { input: 'www.google.com/', canonical: 'http://www.google.com/' },
  { input: 'www.google.com', canonical: 'http://www.google.com/' },
  { input: 'http://www.evil.com/blah#frag', canonical: 'http://www.evil.com/blah' },
  { input: 'http://www.GOOgle.com/', canonical: 'http://www.google.com/' },
  { input: 'http://www.google.com.../', canonical: 'http://www.google.com/' },
  { input: 'http://www.google.com/foo\tbar\rbaz\n2', canonical: 'http://www.google.com/foobarbaz2' },
  { input: 'http://www.google.com/q?', canonical: 'http://www.google.com/q?' },
  { input: 'http://www.google.com/q?r?', canonical: 'http://www.google.com/q?r?' },
  { input: 'http://www.google.com/q?r?s', canonical: 'http://www.google.com/q?r?s' },
  { input: 'http://evil.com/foo#bar#baz', canonical: 'http://evil.com/foo' },
  { input: 'http://evil.com/foo;', canonical: 'http://evil.com/foo;' },
  { input: 'http://evil.com/foo?bar;', canonical: 'http://evil.com/foo?bar;' },
  { input: 'http://%01%80.com/', canonical: 'http://%01%80.com/', reachable: false },
  { input: 'http://notrailingslash.com', canonical: 'http://notrailingslash.com/' },
  { input: 'http://www.gotaport.com:1234/', canonical: 'http://www.gotaport.com/' },
  { input: '  http://www.google.com/  ', canonical: 'http://www.google.com/' },
  { input: 'http:// leadingspace.com/', canonical: 'http://%20leadingspace.com/', reachable: false },
  { input: 'http://%20leadingspace.com/', canonical: 'http://%20leadingspace.com/', reachable: false },
  { input: '%20leadingspace.com/', canonical: 'http://%20leadingspace.com/', reachable: false },
  { input: 'https://www.securesite.com/', canonical: 'https://www.securesite.com/' },
  { input: 'http://host.com/ab%23cd', canonical: 'http://host.com/ab%23cd' },
  { input: 'http://host.com//twoslashes?more//slashes', canonical: 'http://host.com/twoslashes?more//slashes' },
];

describe('Safe Browsing v4 canonicalisation', () => {
  it.each(SPEC_EXAMPLES)('$input -> $canonical', ({ input, canonical, reachable }) => {
    expect(specCanonical(input)).toBe(canonical);
    expect(canonicaliseUrl(input)).toEqual(
      reachable === false ? { ok: false, error: 'not_a_url' } : expect.objectContaining({ ok: true, canonical }),
    );
  });

  it('resolves dot segments and collapses slashes in the path only', () => {
    expect(canonicalOf('http://a.com/foo/.././bar/./../foo.html')).toBe('http://a.com/foo.html');
    expect(canonicalOf('http://a.com//a//b///c////')).toBe('http://a.com/a/b/c/');
    expect(canonicalOf('http://a.com/a/%2e%2E/b')).toBe('http://a.com/b');
    expect(canonicalOf('http://a.com/a/b/..?x=/../y')).toBe('http://a.com/a/?x=/../y');
    expect(canonicalOf('http://a.com/foo/.')).toBe('http://a.com/foo/');
  });

  it('unescapes before splitting, as the spec orders it', () => {
    expect(canonicalOf('http%3A%2F%2Fwackyurl.com:80/')).toBe('http://wackyurl.com/');
    expect(canonicalOf('http://www.google.com/q?r?s%3F')).toBe('http://www.google.com/q?r?s?');
    expect(canonicalOf('http://a.com/%2Fx%3Fy')).toBe('http://a.com/x?y');
  });

  it('escapes with uppercase hex and encodes non-ASCII as UTF-8', () => {
    expect(canonicalOf('http://a.com/%7e%c3%a9')).toBe('http://a.com/~%C3%A9');
    expect(canonicalOf('http://a.com/straße?q=é')).toBe('http://a.com/stra%C3%9Fe?q=%C3%A9');
  });
});

describe('hosts', () => {
  it.each([
    ['http://3279880203/', '195.127.0.11'],
    ['http://0xC37F000B/', '195.127.0.11'],
    ['http://030337600013/', '195.127.0.11'],
    ['http://0303.0177.0.013/', '195.127.0.11'],
    ['http://0xc3.0x7f.0.0xb/', '195.127.0.11'],
    ['http://195.127.11/', '195.127.0.11'],
    ['http://195.8323083/', '195.127.0.11'],
    ['http://12.0x12.01234/', '12.18.2.156'],
    ['http://012.034.01.055/', '10.28.1.45'],
    ['http://0x12.0x43.0x44.0x01/', '18.67.68.1'],
    ['http://167838211/', '10.1.2.3'],
    ['http://4294967295/', '255.255.255.255'],
    ['http://1.2.3.4./', '1.2.3.4'],
  ])('IPv4 %s is %s', (input, host) => {
    const result = accepted(input);
    expect(result.host).toBe(host);
    expect(result.canonical).toBe(`http://${host}/`);
    expect(result.isIp).toBe(true);
    expect(result.registrableDomain).toBeNull();
  });

  it.each(['http://256.1.1.1/', 'http://1.2.3.4.5/', 'http://08.1.1.1/', 'http://4294967296/', 'http://276.2.3/'])(
    'refuses the out-of-range or malformed IPv4 %s',
    (input) => {
      expect(canonicaliseUrl(input)).toEqual({ ok: false, error: 'not_a_url' });
    },
  );

  it.each([
    ['http://[2001:0DB8:0000::1]/', '[2001:db8::1]'],
    ['http://[2001:db8:0:0:0:0:0:1]:8443/x', '[2001:db8::1]'],
    ['http://[::ffff:1.2.3.4]/', '1.2.3.4'],
    ['http://[::FFFF:102:304]/', '1.2.3.4'],
    ['http://[0:0:0:0:0:ffff:0102:0304]/', '1.2.3.4'],
    ['http://[64:ff9b::1.2.3.4]/', '1.2.3.4'],
  ])('IPv6 %s is %s', (input, host) => {
    expect(accepted(input).host).toBe(host);
    expect(accepted(input).isIp).toBe(true);
  });

  it('keeps a non-default IPv6 port in url and dedupKey only', () => {
    const result = accepted('http://[2001:db8::1]:8443/x');
    expect(result.canonical).toBe('http://[2001:db8::1]/x');
    expect(result.url).toBe('http://[2001:db8::1]:8443/x');
    expect(result.dedupKey).toBe('[2001:db8::1]:8443/x');
  });

  it.each(['http://[fe80::1%25eth0]/', 'http://[::1/', 'http://[12345::]/', 'http://[::1]x/'])(
    'refuses the bad IPv6 literal %s',
    (input) => {
      expect(canonicaliseUrl(input)).toEqual({ ok: false, error: 'not_a_url' });
    },
  );

  it.each([
    ['http://www.\u00fcmlat.com/', 'www.xn--mlat-zra.com'],
    ['http://München.DE/', 'xn--mnchen-3ya.de'],
    ['http://m%C3%BCnchen.de/', 'xn--mnchen-3ya.de'],
    ['http://пример.рф/', 'xn--e1afmkfd.xn--p1ai'],
    ['http://例え.テスト/', 'xn--r8jz45g.xn--zckzah'],
    ['http://ｅｘａｍｐｌｅ.com/', 'example.com'],
    ['http://example\u3002com/', 'example.com'],
  ])('IDN %s is %s', (input, host) => {
    expect(accepted(input).host).toBe(host);
    expect(accepted(input).canonical).toBe(`http://${host}/`);
  });

  it('cleans dots that IDN mapping creates, then parses the name again', () => {
    expect(accepted('http://a\u3002\u3002b.com/').host).toBe('a.b.com');
    expect(accepted('http://255.\uff0e/').host).toBe('0.0.0.255');
  });

  it('refuses a punycode label that does not decode', () => {
    expect(canonicaliseUrl('http://xn--zz.com/')).toEqual({ ok: false, error: 'not_a_url' });
  });

  it('drops user information and collapses dots', () => {
    expect(accepted('http://user:pass@Example.com/').canonical).toBe('http://example.com/');
    expect(accepted('http://..a...b.com../').host).toBe('a.b.com');
  });
});

describe('schemes, ports and defaults', () => {
  it('adds http:// when no scheme is given, including before a port', () => {
    expect(accepted('example.com/x').canonical).toBe('http://example.com/x');
    const withPort = accepted('localhost:3000/x');
    expect(withPort.canonical).toBe('http://localhost/x');
    expect(withPort.url).toBe('http://localhost:3000/x');
  });

  it('accepts protocol-relative addresses and the slashes browsers tolerate', () => {
    expect(canonicalOf('//cdn.example.com/a')).toBe('http://cdn.example.com/a');
    expect(canonicalOf('http:/example.com/a')).toBe('http://example.com/a');
    expect(canonicalOf('HTTPS:\\\\example.com/a')).toBe('https://example.com/a');
    expect(canonicalOf('http:///example.com/a')).toBe('http://example.com/a');
  });

  it('keeps a non-default port in url and dedupKey, drops a default one everywhere', () => {
    const custom = accepted('https://Example.com:8443/a');
    expect([custom.canonical, custom.url, custom.dedupKey]).toEqual([
      'https://example.com/a',
      'https://example.com:8443/a',
      'example.com:8443/a',
    ]);
    const standard = accepted('https://example.com:443/a');
    expect([standard.url, standard.dedupKey]).toEqual(['https://example.com/a', 'example.com/a']);
    expect(accepted('http://example.com:0080/a').url).toBe('http://example.com/a');
    expect(accepted('http://example.com:443/a').url).toBe('http://example.com:443/a');
  });

  it('gives url as the WHATWG serialisation of the canonical address', () => {
    const result = accepted('http://a.com/x y/"q"?a=<b>');
    expect(result.canonical).toBe('http://a.com/x%20y/"q"?a=<b>');
    expect(result.url).toBe('http://a.com/x%20y/%22q%22?a=%3Cb%3E');
  });
});

describe('dedupKey', () => {
  it('drops the scheme, www., the fragment, a default port and sorts parameters', () => {
    const variants = [
      'http://www.example.com/page?b=2&a=1',
      'https://EXAMPLE.com:443/page?a=1&b=2#top',
      'example.com/page?a=1&utm_source=x&b=2',
      'http://www.example.com:80/./page?b=2&gclid=1&a=1',
      'http://example.com/%70age?a=%31&b=2',
    ];
    expect(new Set(variants.map((input) => accepted(input).dedupKey))).toEqual(new Set(['example.com/page?a=1&b=2']));
  });

  it.each([
    ...TRACKING_PARAMS,
    'utm_source',
    'utm_medium',
    'utm_campaign',
    'utm_term',
    'utm_content',
    'utm_id',
    'UTM_Source',
    'FBCLID',
  ])('removes the tracking parameter %s', (name) => {
    const result = accepted(`https://example.com/p?id=7&${name}=abc`);
    expect(result.dedupKey).toBe('example.com/p?id=7');
    expect(result.canonical).toBe(`https://example.com/p?id=7&${name}=abc`);
  });

  it('keeps parameters that only look like tracking ones', () => {
    expect(accepted('https://example.com/p?utm=1&ref=2&gclidx=3&x_ga=4').dedupKey).toBe(
      'example.com/p?gclidx=3&ref=2&utm=1&x_ga=4',
    );
  });

  it('keeps the order of repeated names, and drops an emptied query', () => {
    expect(accepted('https://example.com/p?b=2&a=9&b=1').dedupKey).toBe('example.com/p?a=9&b=2&b=1');
    expect(accepted('https://example.com/p?utm_source=a&&fbclid=b').dedupKey).toBe('example.com/p');
    expect(accepted('https://example.com/p?').dedupKey).toBe('example.com/p');
  });

  it('strips www. only above the registrable domain', () => {
    expect(accepted('http://www.com/').dedupKey).toBe('www.com/');
    expect(accepted('http://www.www.example.com/').dedupKey).toBe('www.example.com/');
    expect(accepted('http://www2.example.com/').dedupKey).toBe('www2.example.com/');
  });
});

describe('registrableDomain, isOnion', () => {
  it.each([
    ['https://a.b.example.co.uk/', 'example.co.uk'],
    ['https://someone.github.io/x', 'someone.github.io'],
    ['https://www.example.com/', 'example.com'],
    ['http://xn--mnchen-3ya.de/', 'xn--mnchen-3ya.de'],
    ['http://co.uk/', null],
    ['http://1.2.3.4/', null],
  ])('%s -> %s', (input, domain) => {
    expect(accepted(input).registrableDomain).toBe(domain);
  });

  it('flags onion services', () => {
    const onion = 'http://2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion/x';
    expect(accepted(onion)).toMatchObject({ isOnion: true, isLocal: false });
    expect(accepted('http://onion.example.com/').isOnion).toBe(false);
  });
});

describe('isLocal', () => {
  it.each([
    'http://localhost/',
    'http://LOCALHOST:8080/',
    'http://app.localhost/',
    'http://127.0.0.1/',
    'http://127.1/',
    'http://2130706433/',
    'http://0x7f000001/',
    'http://017700000001/',
    'http://0177.0.0.1/',
    'http://10.0.0.1/',
    'http://172.16.5.4/',
    'http://192.168.1.1/',
    'http://169.254.169.254/latest/meta-data',
    'http://100.64.0.1/',
    'http://0.0.0.0/',
    'http://0/',
    'http://255.255.255.255/',
    'http://224.0.0.1/',
    'http://192.0.2.1/',
    'http://[::1]/',
    'http://[0:0:0:0:0:0:0:1]/',
    'http://[::]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:7f00:1]/',
    'http://[::ffff:10.0.0.1]/',
    'http://[64:ff9b::127.0.0.1]/',
    'http://[::127.0.0.1]/',
    'http://[fe80::1]/',
    'http://[fc00::1]/',
    'http://[fd12:3456::1]/',
    'http://[ff02::1]/',
    'http://[2001:db8::1]/',
    'http://[2002:c0a8:0101::1]/',
  ])('%s is local', (input) => {
    expect(accepted(input).isLocal).toBe(true);
  });

  it.each([
    'http://example.com/',
    'http://8.8.8.8/',
    'http://[2606:4700:4700::1111]/',
    'http://[2002:808:808::1]/',
    'http://localhost.example.com/',
    'http://notlocalhost/',
    'http://[::ffff:8.8.8.8]/',
  ])('%s is not local', (input) => {
    expect(accepted(input).isLocal).toBe(false);
  });
});

describe('refusals', () => {
  it.each([
    ['', 'not_a_url'],
    ['   ', 'not_a_url'],
    ['#fragment', 'not_a_url'],
    ['http://exa mple.com/', 'not_a_url'],
    ['http://a.com:99999/', 'not_a_url'],
    ['http://a<b.com/', 'not_a_url'],
    ['ftp://ftp.example.com/', 'unsupported_scheme'],
    ['mailto:someone@example.com', 'unsupported_scheme'],
    ['javascript:alert(1)', 'unsupported_scheme'],
    ['file:///etc/passwd', 'unsupported_scheme'],
    ['data:text/html,hi', 'unsupported_scheme'],
    ['http://', 'no_host'],
    ['http:///', 'no_host'],
    ['http://?q=1', 'no_host'],
    ['http://user@/x', 'no_host'],
    ['http://.../', 'no_host'],
    ['/path/only', 'no_host'],
  ])('%j -> %s', (input, error) => {
    expect(canonicaliseUrl(input)).toEqual({ ok: false, error });
  });

  it('refuses inputs over 8 KB of UTF-8, counting bytes rather than characters', () => {
    const prefix = 'http://example.com/';
    expect(canonicaliseUrl(prefix + 'a'.repeat(8192 - prefix.length)).ok).toBe(true);
    expect(canonicaliseUrl(prefix + 'a'.repeat(8193 - prefix.length))).toEqual({ ok: false, error: 'too_long' });
    expect(canonicaliseUrl(prefix + '€'.repeat(2800))).toEqual({ ok: false, error: 'too_long' });
    expect(canonicaliseUrl(prefix + '€'.repeat(2700)).ok).toBe(true);
  });

  it('does not throw on values that are not strings', () => {
    expect(canonicaliseUrl(undefined as unknown as string)).toEqual({ ok: false, error: 'not_a_url' });
  });
});
