import type { Request } from 'express';
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { ClientKeyer, clientNetwork, rateLimit } from '../../src/http/throttle.ts';

const from = (ip: string) => ({ ip, socket: {} }) as unknown as Request;

describe('clientNetwork', () => {
  it('counts IPv4 (mapped or not) as itself and IPv6 by its /64', () => {
    expect(clientNetwork('198.51.100.7')).toBe('198.51.100.7');
    expect(clientNetwork('::ffff:198.51.100.7')).toBe('198.51.100.7');
    expect(clientNetwork('2001:db8:1:2:aaaa::1')).toBe(clientNetwork('2001:db8:1:2:ffff:1:2:3'));
    expect(clientNetwork('2001:db8:1:2::1')).not.toBe(clientNetwork('2001:db8:1:3::1'));
  });

  it('reads a dotted quad without parsing exactly as ipaddr.js reads it, mapped or not, in any case', () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.constantFrom('', '::ffff:', '::FFFF:', '0:0:0:0:0:ffff:'), (ip, prefix) => {
        expect(clientNetwork(`${prefix}${ip}`)).toBe(ipaddr.process(`${prefix}${ip}`).toString());
      }),
    );
  });
});

describe('rateLimit', () => {
  it('limits each client on its own, and a client cannot escape by rotating within its /64', () => {
    let now = 0;
    const limit = rateLimit({ limit: 2, windowMs: 1000, now: () => now, keyer: new ClientKeyer(() => now) });
    expect([
      limit.hit(from('198.51.100.1')),
      limit.hit(from('::ffff:198.51.100.1')),
      limit.hit(from('198.51.100.1')),
    ]).toEqual([true, true, false]);
    expect(limit.hit(from('198.51.100.2'))).toBe(true);
    const rotating = ['2001:db8::1', '2001:db8::2', '2001:db8::3'].map((ip) => limit.hit(from(ip)));
    expect(rotating).toEqual([true, true, false]);
    now = 1000;
    expect(limit.hit(from('198.51.100.1'))).toBe(true);
  });

  it('keeps memory bounded under a flood of clients without resetting anyone', () => {
    let now = 0;
    const keyer = new ClientKeyer(() => now);
    const limit = rateLimit({ limit: 1, windowMs: 60_000, now: () => now, keyer, maxClients: 10 });
    for (let i = 0; i < 10; i++) expect(limit.hit(from(`198.51.100.${i}`))).toBe(true);
    expect(limit.hit(from('198.51.100.0'))).toBe(false); // over its limit
    for (let i = 10; i < 50; i++) expect(limit.hit(from(`198.51.100.${i}`))).toBe(false); // table full
    expect(limit.hit(from('198.51.100.0'))).toBe(false); // the flood reset nobody
    now = 60_000;
    expect(limit.hit(from('198.51.100.49'))).toBe(true);
  });
});
