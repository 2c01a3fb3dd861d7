import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { boundedMemo } from '../../src/urls/bounded-memo.ts';

type Module = typeof import('../../src/urls/canonical-url.ts');
type HostModule = typeof import('../../src/urls/host.ts');

/** A fresh copy of the canonicaliser, with an empty memo. */
async function freshModules(): Promise<{ canonical: Module; host: HostModule }> {
  vi.resetModules();
  const canonical = await import('../../src/urls/canonical-url.ts');
  const host = await import('../../src/urls/host.ts');
  return { canonical, host };
}

/** One place spelled many ways: IDN, case, escapes, odd dots, IPv6, IPv4-mapped forms. */
const SPELLINGS = [
  'http://München.DE/a',
  'http://münchen.de/a',
  'http://m%C3%BCnchen.de/a',
  'http://M%C3%BCNCHEN.de./a',
  'http://.münchen..de/a',
  'http://münchen\u3002de/a',
  'https://WWW.münchen.de/a?b=1&utm_source=x',
  'http://[::FFFF:7f00:1]/a',
  'http://[::ffff:127.0.0.1]/a',
  'http://[2001:DB8::1]/a',
  'http://пример.рф/',
  'http://ПРИМЕР.РФ/',
];

describe('the host memo', () => {
  it('gives every spelling of a host the result it gives on first sight, in any order', async () => {
    const first = await freshModules();
    const forwards = SPELLINGS.map((input) => first.canonical.canonicaliseUrl(input));
    const again = SPELLINGS.map((input) => first.canonical.canonicaliseUrl(input));
    const second = await freshModules();
    const backwards = [...SPELLINGS].reverse().map((input) => second.canonical.canonicaliseUrl(input));
    expect(again).toEqual(forwards);
    expect(backwards.reverse()).toEqual(forwards);
    // The spellings really do share hosts, so the memo was used.
    const hosts = forwards.map((result) => (result.ok ? result.host : result.error));
    expect(new Set(hosts.slice(0, 6))).toEqual(new Set(['xn--mnchen-3ya.de']));
    expect(new Set(hosts.slice(7, 9))).toEqual(new Set(['127.0.0.1']));
    expect(new Set(hosts.slice(10))).toEqual(new Set(['xn--e1afmkfd.xn--p1ai']));
  });

  it('never changes a result, whatever came before (property)', async () => {
    const hostPiece = fc.constantFrom(
      'a',
      'B',
      'ü',
      'Ü',
      '%C3%BC',
      '.',
      '..',
      '\u3002',
      'xn--',
      '-',
      '1',
      '0x7f',
      '[::1]',
    );
    const address = fc.array(hostPiece, { minLength: 1, maxLength: 6 }).map((pieces) => `http://${pieces.join('')}/p`);
    const { canonical: warm } = await freshModules();
    await fc.assert(
      fc.asyncProperty(fc.array(address, { minLength: 1, maxLength: 20 }), async (inputs) => {
        const remembered = inputs.map((input) => warm.canonicaliseUrl(input));
        const { canonical: cold } = await freshModules();
        const reversed = [...inputs].reverse().map((input) => cold.canonicaliseUrl(input));
        expect(reversed.reverse()).toEqual(remembered);
      }),
      { numRuns: 60 },
    );
  });

  it('stays bounded however many distinct hosts it sees', async () => {
    const { canonical, host } = await freshModules();
    let largest = 0;
    for (let i = 0; i < 25_000; i++) {
      const result = canonical.canonicaliseUrl(`http://ü${i}.example/`);
      expect(result.ok).toBe(true);
      largest = Math.max(largest, host.unusualHostMemoSize());
    }
    expect(largest).toBe(10_000);
    expect(host.unusualHostMemoSize()).toBeLessThanOrEqual(10_000);
  });

  it('does not keep very long hosts', async () => {
    const { canonical, host } = await freshModules();
    const before = host.unusualHostMemoSize();
    canonical.canonicaliseUrl(`http://${'ü'.repeat(600)}.example/`);
    expect(host.unusualHostMemoSize()).toBe(before);
    canonical.canonicaliseUrl('http://ü.example/');
    expect(host.unusualHostMemoSize()).toBe(before + 1);
  });
});

describe('boundedMemo', () => {
  it('computes each key once while it is held, empties itself when full, skips long keys', () => {
    const calls: string[] = [];
    const memo = boundedMemo(
      (key: string) => {
        calls.push(key);
        return key.toUpperCase();
      },
      3,
      5,
    );
    expect(['a', 'b', 'a', 'c', 'b'].map(memo)).toEqual(['A', 'B', 'A', 'C', 'B']);
    expect(calls).toEqual(['a', 'b', 'c']);
    expect(memo.size()).toBe(3);
    expect(memo('d')).toBe('D');
    expect(memo.size()).toBe(1);
    expect(memo('a')).toBe('A');
    expect(calls).toEqual(['a', 'b', 'c', 'd', 'a']);
    expect(memo('longer')).toBe('LONGER');
    expect(memo('longer')).toBe('LONGER');
    expect(memo.size()).toBe(2);
    expect(calls.filter((key) => key === 'longer')).toHaveLength(2);
  });
});
