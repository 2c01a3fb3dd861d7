import { describe, expect, it } from 'vitest';
import { type CanonicalUrl, canonicaliseUrl } from '../../src/urls/canonical-url.ts';
import { fetchAddress } from '../../src/urls/fetch-address.ts';

function fetched(input: string): string {
  const canonical = canonicaliseUrl(input);
  if (!canonical.ok) throw new Error(`refused: ${input}`);
  return fetchAddress(input, canonical as CanonicalUrl);
}

describe('fetchAddress', () => {
  it('keeps what names the resource on a real server', () => {
    expect(fetched('https://cdn.example.com/i.jpg?sig=ab%2Bcd%3D%3D')).toBe(
      'https://cdn.example.com/i.jpg?sig=ab%2Bcd%3D%3D',
    );
    expect(fetched('http://example.com/p%3Fx.jpg')).toBe('http://example.com/p%3Fx.jpg');
    expect(fetched('http://example.com/a%2Fb')).toBe('http://example.com/a%2Fb');
  });

  it('reads the address as a browser does, without fragment or tracking parameters', () => {
    expect(fetched('HTTP://Example.COM:8080/a/../b?x=1&utm_source=t#frag')).toBe('http://example.com:8080/b?x=1');
    expect(fetched('example.com/path')).toBe('http://example.com/path');
    expect(fetched('  https://example.org/q?fbclid=1  ')).toBe('https://example.org/q');
    expect(fetched('http://user:secret@example.com/a')).toBe('http://example.com/a');
  });

  it('fetches the canonical host when a browser would read another one', () => {
    const input = 'http://evil.example%2F@good.example/x';
    const canonical = canonicaliseUrl(input);
    if (!canonical.ok) return; // refused outright is fine too
    const address = fetchAddress(input, canonical as CanonicalUrl);
    expect(new URL(address).hostname).toBe(canonical.host);
  });
});
