import fc from 'fast-check';
import { getPublicSuffix } from 'tldts';
import { describe, expect, it } from 'vitest';
import { canonicaliseUrl } from '../../src/urls/canonical-url.ts';
import { unescapeFully } from '../../src/urls/percent-encoding.ts';
import { TRACKING_PARAMS } from '../../src/urls/tracking-params.ts';

/** URL-shaped noise: the pieces parsers trip over, in any order. */
const urlishPiece = fc.constantFrom(
  'http',
  'https',
  'HTTP',
  'ftp',
  ':',
  '/',
  '//',
  '\\',
  '?',
  '#',
  '@',
  '[',
  ']',
  '%',
  '%2',
  '%25',
  '%2e',
  '%2F',
  '%3F',
  '%23',
  '%00',
  '%C3%A9',
  '%E2%82%AC',
  '.',
  '..',
  'xn--',
  'www.',
  'a',
  'Z',
  'b-c',
  '0x',
  '0',
  '1',
  '08',
  '255',
  '4294967296',
  '::',
  'ffff',
  '64:ff9b',
  ' ',
  '\t',
  '\n',
  'é',
  '例',
  '\u0080',
  '\u3002',
  '\uff0e',
  '\ud800',
  'localhost',
  ':80',
  ':8080',
  ':99999',
  'utm_source=x',
  '&',
  '=',
  'com',
  'onion',
  'github.io',
  '"',
  '<',
  '`',
  '{',
  '^',
);
const urlish = fc.array(urlishPiece, { maxLength: 24 }).map((pieces) => pieces.join(''));
const anyText = fc.oneof(
  urlish,
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
);

describe('canonicaliseUrl on arbitrary input', () => {
  it('never throws, and whatever it accepts is a valid, stable URL', () => {
    fc.assert(
      fc.property(anyText, (input) => {
        const result = canonicaliseUrl(input);
        if (!result.ok) return;
        expect(result.canonical).toMatch(/^https?:\/\//);
        const canonical = new URL(result.canonical);
        const url = new URL(result.url);
        expect(url.href).toBe(result.url);
        expect(url.hostname).toBe(result.host);
        expect(canonical.hostname).toBe(result.host);
        const keyHost = result.dedupKey.startsWith(result.host) ? result.host : result.host.replace(/^www\./, '');
        expect(result.dedupKey.startsWith(keyHost)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('is idempotent: the canonical form canonicalises to itself', () => {
    fc.assert(
      fc.property(anyText, (input) => {
        const result = canonicaliseUrl(input);
        if (!result.ok) return;
        const again = canonicaliseUrl(result.canonical);
        expect(again).toMatchObject({ ok: true, canonical: result.canonical, host: result.host });
      }),
      { numRuns: 3000 },
    );
  });
});

const label = fc.stringMatching(/^[a-z]([a-z0-9-]{0,8}[a-z0-9])?$/).filter((l) => l !== 'www' && !l.startsWith('xn--'));
const host = fc
  .tuple(
    fc.array(label, { minLength: 1, maxLength: 3 }),
    fc.constantFrom('com', 'be', 'org', 'co.uk', 'github.io', 'onion'),
  )
  .map(([labels, suffix]) => `${labels.join('.')}.${suffix}`)
  // A host that is itself a public suffix (`gr.com`, `my.be`: private PSL entries) has no
  // registrable domain; `www.` in front of it is then the registrable label and is kept.
  .filter((name) => getPublicSuffix(name, { allowPrivateDomains: true }) !== name);
const segment = fc.stringMatching(/^[A-Za-z0-9._~-]{1,8}$/).filter((s) => s !== '.' && s !== '..');
const path = fc
  .record({ segments: fc.array(segment, { maxLength: 4 }), trailingSlash: fc.boolean() })
  .map(({ segments, trailingSlash }) => `/${segments.join('/')}${trailingSlash && segments.length > 0 ? '/' : ''}`);
const paramName = fc
  .stringMatching(/^[a-z][a-z0-9]{0,5}$/)
  .filter((name) => !name.startsWith('utm_') && !TRACKING_PARAMS.has(name));
const params = fc.uniqueArray(fc.tuple(paramName, fc.stringMatching(/^[A-Za-z0-9]{0,5}$/)), {
  selector: ([name]) => name,
  maxLength: 4,
});
const trackingName = fc.oneof(fc.constantFrom(...TRACKING_PARAMS), fc.stringMatching(/^utm_[a-z]{1,8}$/));
const trackingParams = fc.array(fc.tuple(trackingName, fc.stringMatching(/^[A-Za-z0-9]{1,6}$/)), { maxLength: 3 });
const UNRESERVED = /[A-Za-z0-9._~-]/;

/** Spells characters of `text` as %XX (in either hex case) where the mask says so; `.`, `~` and friends included. */
function percentEncode(text: string, mask: readonly boolean[]): string {
  return [...text]
    .map((char, i) => {
      if (!mask[i % mask.length] || !UNRESERVED.test(char)) return char;
      const hex = char.charCodeAt(0).toString(16);
      return `%${i % 2 === 0 ? hex.toUpperCase() : hex}`;
    })
    .join('');
}

function upperSome(text: string, mask: readonly boolean[]): string {
  return [...text].map((char, i) => (mask[i % mask.length] ? char.toUpperCase() : char)).join('');
}

const keyOf = (input: string) => {
  const result = canonicaliseUrl(input);
  if (!result.ok) throw new Error(`${input} refused: ${result.error}`);
  return result.dedupKey;
};

describe('dedupKey', () => {
  it('is unchanged by host case, www., scheme, fragment, default port, tracking, order and %-encoding', () => {
    const variant = fc.record({
      caseMask: fc.array(fc.boolean(), { minLength: 1, maxLength: 16 }),
      www: fc.boolean(),
      https: fc.boolean(),
      defaultPort: fc.boolean(),
      fragment: fc.option(fc.string({ maxLength: 8 }), { nil: undefined }),
      tracking: trackingParams,
      ranks: fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
      encodeMask: fc.array(fc.boolean(), { minLength: 1, maxLength: 16 }),
    });
    fc.assert(
      fc.property(host, path, params, variant, (baseHost, basePath, baseParams, v) => {
        const query = (list: readonly (readonly [string, string])[]) =>
          list.length === 0 ? '' : `?${list.map(([n, value]) => `${n}=${value}`).join('&')}`;
        const base = `http://${baseHost}${basePath}${query(baseParams)}`;

        const mixed = [...baseParams, ...v.tracking];
        const shuffled = mixed
          .map((param, i) => ({ param, rank: v.ranks[i] ?? 0 }))
          .sort((a, b) => a.rank - b.rank)
          .map(({ param }) => param);
        const scheme = v.https ? 'https' : 'http';
        const port = v.defaultPort ? (v.https ? ':443' : ':80') : '';
        const fragment = v.fragment === undefined ? '' : `#${v.fragment}`;
        const variantHost = upperSome(`${v.www ? 'www.' : ''}${baseHost}`, v.caseMask);
        const encoded = percentEncode(`${basePath}${query(shuffled)}`, v.encodeMask);
        expect(keyOf(`${scheme}://${variantHost}${port}${encoded}${fragment}`)).toBe(keyOf(base));
      }),
      { numRuns: 1000 },
    );
  });

  it('differs for distinct paths on one host', () => {
    fc.assert(
      fc.property(host, path, path, (onHost, first, second) => {
        fc.pre(first !== second);
        expect(keyOf(`https://${onHost}${first}`)).not.toBe(keyOf(`https://${onHost}${second}`));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('IPv4 hosts', () => {
  it('are read exactly as the WHATWG URL parser reads them', () => {
    const part = fc.oneof(
      fc.constantFrom(
        '0',
        '00',
        '0x',
        '0X',
        '08',
        '255',
        '256',
        '65535',
        '65536',
        '16777216',
        '4294967295',
        '4294967296',
      ),
      fc.nat().map(String),
      fc.nat().map((n) => `0x${n.toString(16)}`),
      fc.nat().map((n) => `0${n.toString(8)}`),
      fc.stringMatching(/^[0-9a-fx]{1,6}$/),
    );
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 5 }), (parts) => {
        const input = `http://${parts.join('.')}/`;
        let browser: string | null;
        try {
          browser = new URL(input).hostname;
        } catch {
          browser = null;
        }
        const result = canonicaliseUrl(input);
        expect(result.ok ? result.host : null).toBe(browser);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('unescapeFully', () => {
  // The spec's own description: unescape the whole string, again and again, until nothing changes.
  function repeatedPasses(text: string): string {
    for (;;) {
      const next = text.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) =>
        String.fromCharCode(Number.parseInt(hex, 16)),
      );
      if (next === text) return text;
      text = next;
    }
  }

  it('reaches the same fixed point as repeated passes', () => {
    const alphabet = fc.constantFrom('%', '2', '5', '3', '4', '1', 'a', 'F', 'g', '0', '%25', '%32', '%35');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 30 }), (pieces) => {
        const text = pieces.join('');
        expect(unescapeFully(text)).toBe(repeatedPasses(text));
      }),
      { numRuns: 3000 },
    );
  });
});
