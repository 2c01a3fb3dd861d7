import { describe, expect, it } from 'vitest';
import { canonicaliseUrl } from '../../src/urls/canonical-url.ts';
import { extractUrls, MAX_EXTRACTED } from '../../src/urls/extract-urls.ts';

describe('extractUrls', () => {
  it('takes one address a line, in order', () => {
    expect(extractUrls('https://a.example.com/1\nhttp://b.example.org/2\r\nc.example.net/3\n')).toEqual([
      'https://a.example.com/1',
      'http://b.example.org/2',
      'c.example.net/3',
    ]);
  });

  it('finds addresses inside sentences and drops the punctuation around them', () => {
    const text = 'I saw this: https://example.com/a/b?x=1. Then www.example.org/page, and (https://example.net/c)!';
    expect(extractUrls(text)).toEqual(['https://example.com/a/b?x=1', 'www.example.org/page', 'https://example.net/c']);
  });

  it('strips quotes and angle brackets of every kind', () => {
    const text =
      '"https://q.example.com/1" <https://a.example.com/2> \'https://s.example.com/3\' «https://g.example.com/4» “https://c.example.com/5”';
    expect(extractUrls(text)).toEqual([
      'https://q.example.com/1',
      'https://a.example.com/2',
      'https://s.example.com/3',
      'https://g.example.com/4',
      'https://c.example.com/5',
    ]);
  });

  it('keeps brackets that belong to the address', () => {
    expect(extractUrls('see (https://en.wikipedia.org/wiki/Foo_(bar)).')).toEqual([
      'https://en.wikipedia.org/wiki/Foo_(bar)',
    ]);
  });

  it('refangs hxxp and bracketed dots', () => {
    const text = 'hxxp://evil[.]example[.]com/a hXXps[:]//x(.)example.org/b evil[dot]example.net/c bad{.}example.be';
    expect(extractUrls(text)).toEqual([
      'http://evil.example.com/a',
      'https://x.example.org/b',
      'evil.example.net/c',
      'bad.example.be',
    ]);
  });

  it('takes the address out of pasted HTML', () => {
    expect(extractUrls('<a href="https://example.com/x?a=1&amp;b=2">here</a>')).toEqual([
      'https://example.com/x?a=1&amp;b=2',
    ]);
  });

  it('finds bare hosts with real suffixes, IP addresses and IDN, and leaves file names, versions and e-mail alone', () => {
    const text =
      'report.pdf version 1.2.3 e.g. mail me: someone@example.com; 192.0.2.7/img.jpg münchen.de/straße user.github.io x.onion';
    expect(extractUrls(text)).toEqual(['192.0.2.7/img.jpg', 'münchen.de/straße', 'user.github.io', 'x.onion']);
  });

  it('finds an address glued to a label', () => {
    expect(extractUrls('link:https://example.com/a url=http://example.org/b')).toEqual([
      'https://example.com/a',
      'http://example.org/b',
    ]);
  });

  it('removes exact duplicates and keeps the first position', () => {
    expect(extractUrls('https://a.example.com/ b.example.com https://a.example.com/ https://A.example.com/')).toEqual([
      'https://a.example.com/',
      'b.example.com',
      'https://A.example.com/',
    ]);
  });

  it('returns nothing for text without addresses, or a scheme alone', () => {
    expect(extractUrls('')).toEqual([]);
    expect(extractUrls('nothing to see here. https:// and http://')).toEqual([]);
  });

  it('stops at a generous cap on huge pastes', () => {
    const text = Array.from({ length: MAX_EXTRACTED + 50 }, (_, i) => `https://example.com/${i}`).join('\n');
    const found = extractUrls(text);
    expect(found).toHaveLength(MAX_EXTRACTED);
    expect(found[MAX_EXTRACTED - 1]).toBe(`https://example.com/${MAX_EXTRACTED - 1}`);
  });

  it('returns addresses the canonicaliser accepts', () => {
    const text = 'hxxps://evil[.]example[.]com/a?utm_source=x, "www.example.org/p" and 192.0.2.7/img.jpg.';
    expect(extractUrls(text).map((address) => canonicaliseUrl(address))).toEqual([
      expect.objectContaining({ ok: true, canonical: 'https://evil.example.com/a?utm_source=x' }),
      expect.objectContaining({ ok: true, canonical: 'http://www.example.org/p' }),
      expect.objectContaining({ ok: true, canonical: 'http://192.0.2.7/img.jpg' }),
    ]);
  });
});
