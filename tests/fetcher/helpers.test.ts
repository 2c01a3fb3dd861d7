import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { guardConnections } from './helpers.ts';

describe('guardConnections', () => {
  // 127.0.0.2 is outside what the guard lets through yet still loopback: even a broken guard
  // would send nothing off this host.
  it('throws on any other destination before the socket is opened, in both call forms, and records it', () => {
    const guard = guardConnections();
    try {
      expect(() => connect({ host: '127.0.0.2', port: 9 })).toThrow(/test tried to connect/);
      expect(() => connect(9, '127.0.0.2')).toThrow(/test tried to connect/);
    } finally {
      guard.restore();
    }
    expect(guard.refused).toEqual(['127.0.0.2:9', '127.0.0.2:9']);
  });
});
