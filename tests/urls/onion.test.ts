import { describe, expect, it } from 'vitest';
import { canonicaliseUrl } from '../../src/urls/canonical-url.ts';
import { isOnionName } from '../../src/urls/host.ts';

// One test of `.onion` for the whole data path: intake (canonical URLs), the fetcher (routing)
// and hosting all ask isOnionName.
describe('isOnionName', () => {
  it.each([
    ['x.onion', true],
    ['www.X.ONION.', true],
    ['onion.example', false],
    ['example.onion.evil.org', false],
    ['notonion', false],
  ])('isOnionName(%s) = %s', (host, expected) => {
    expect(isOnionName(host)).toBe(expected);
  });

  it('is what the canonical form of an address says', () => {
    const onion = 'abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx';
    for (const url of [`http://${onion}.onion/`, `http://WWW.${onion.toUpperCase()}.ONION./a`]) {
      expect(canonicaliseUrl(url)).toMatchObject({ ok: true, isOnion: true });
    }
    expect(canonicaliseUrl('http://onion.example/')).toMatchObject({ ok: true, isOnion: false });
  });
});
