import type { IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createFetcher } from '../../src/fetcher/index.ts';
import { type LoopbackServer, startLoopbackServer } from '../support/loopback-server.ts';
import { reasonOf, testFetchOptions } from './helpers.ts';

// The fetch's own budget is far longer than any test: only the caller's signal can end these fetches.
const patient = { timeoutMs: 600_000, connectTimeoutMs: 600_000 };

const servers: LoopbackServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A server that hands each request to the test and never ends a response by itself. */
async function holdingServer(onRequest: (req: IncomingMessage, write: (chunk: Buffer) => void) => void) {
  const server = await startLoopbackServer((req, res) => {
    onRequest(req, (chunk) => {
      if (!res.headersSent) res.writeHead(200);
      res.write(chunk);
    });
  });
  servers.push(server);
  return server;
}

/** Resolves when the request's connection ends, by a reset or a close. */
function connectionClosed(req: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    req.socket.on('error', () => {});
    req.socket.once('close', () => resolve());
  });
}

describe('a caller-aborted fetch', () => {
  it('stops a transfer in progress at once and closes its connection', async () => {
    const requests: IncomingMessage[] = [];
    const server = await holdingServer((req, write) => {
      requests.push(req);
      write(Buffer.alloc(64 * 1024, 7)); // part of a body, then nothing more
    });
    const fetcher = createFetcher(testFetchOptions({ allow: [server.pair], ...patient }));
    const controller = new AbortController();
    const fetching = reasonOf(fetcher.fetch(`${server.origin}/video`, controller.signal));
    while (requests.length === 0) await new Promise((resolve) => setImmediate(resolve));
    const closed = connectionClosed(requests[0] as IncomingMessage);
    controller.abort();
    expect(await fetching).toBe('timeout');
    await closed; // the server sees the connection end: the fetch did not just stop waiting
    await fetcher.close();
  });

  it('stops waiting for headers and closes the connection', async () => {
    const requests: IncomingMessage[] = [];
    const server = await holdingServer((req) => requests.push(req));
    const fetcher = createFetcher(testFetchOptions({ allow: [server.pair], ...patient }));
    const controller = new AbortController();
    const fetching = reasonOf(fetcher.fetch(`${server.origin}/silent`, controller.signal));
    while (requests.length === 0) await new Promise((resolve) => setImmediate(resolve));
    const closed = connectionClosed(requests[0] as IncomingMessage);
    controller.abort();
    expect(await fetching).toBe('timeout');
    await closed;
    await fetcher.close();
  });

  it('sends nothing when the signal has already aborted', async () => {
    const server = await holdingServer(() => {});
    const fetcher = createFetcher(testFetchOptions({ allow: [server.pair], ...patient }));
    expect(await reasonOf(fetcher.fetch(`${server.origin}/late`, AbortSignal.abort()))).toBe('timeout');
    expect(server.requests).toEqual([]);
    await fetcher.close();
  });
});
