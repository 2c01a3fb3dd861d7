import { Socket } from 'node:net';
import { type MockInstance, vi } from 'vitest';
import { FetchError, type FetchOptions } from '../../src/fetcher/index.ts';

/** Options for a fetcher under test: short limits, nothing allowed unless the test says so. */
export function testFetchOptions(overrides: Partial<FetchOptions> = {}): FetchOptions {
  return {
    allow: [],
    ports: [80, 443],
    timeoutMs: 5_000,
    connectTimeoutMs: 2_000,
    maxBytes: 1024 * 1024,
    maxStreamBytes: 8 * 1024 * 1024,
    ...overrides,
  };
}

/** The reason a promise was refused with, or 'fulfilled'. */
export async function reasonOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'fulfilled';
  } catch (error) {
    return error instanceof FetchError ? error.reason : `unexpected ${String(error)}`;
  }
}

/**
 * A global unicast address for resolver answers, from 3ffe::/16 (the 6bone block, returned to IANA
 * by RFC 3701 and never reassigned): the policy accepts it, nothing routes it. Tests that hand it
 * out also install `guardConnections`, so even a bug cannot send a packet towards it.
 */
export const unroutedGlobalAddress = '3ffe:ffff::1';

/** Every TCP connect the process attempts goes through Socket.prototype.connect (net.connect, socks, undici). */
function destinationOf(args: unknown[]): string {
  const first = args[0];
  const options = (Array.isArray(first) ? first[0] : first) as { host?: string; port?: number } | number;
  if (typeof options === 'number') return `${String(args[1] ?? 'localhost')}:${options}`;
  return `${options.host ?? 'localhost'}:${options.port}`;
}

const loopbackDestination = /^(127\.0\.0\.1|::1):\d+$/;

/**
 * Lets TCP connections reach only 127.0.0.1 and ::1; any other connect throws before a packet is
 * sent and is recorded in `refused`, which a test asserts stays empty.
 */
export function guardConnections(): { refused: string[]; restore(): void } {
  const refused: string[] = [];
  const original = Socket.prototype.connect;
  const spy: MockInstance = vi.spyOn(Socket.prototype, 'connect').mockImplementation(function (
    this: Socket,
    ...args: unknown[]
  ) {
    const destination = destinationOf(args);
    if (!loopbackDestination.test(destination)) {
      refused.push(destination);
      throw new Error(`test tried to connect to ${destination}`);
    }
    return (original as (...a: unknown[]) => Socket).apply(this, args);
  });
  return { refused, restore: () => spy.mockRestore() };
}
