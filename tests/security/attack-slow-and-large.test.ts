import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxRequestBodyBytes } from '../../src/http/body-limits.ts';
import { createHttpServer, defaultServerLimits } from '../../src/http/server-limits.ts';
import { createTestApp } from '../support/app.ts';
import { rawConnect, streamUntilClosed } from '../support/raw-http.ts';
import { type RunningServer, startRealServer } from '../support/server.ts';

const hundredMb = 100 * 1024 * 1024;
const figure = (name: string, value: unknown) => process.stdout.write(`${JSON.stringify({ figure: name, value })}\n`);

function chunkedFrame(bytes: number): Buffer {
  return Buffer.concat([Buffer.from(`${bytes.toString(16)}\r\n`), Buffer.alloc(bytes, 0x61), Buffer.from('\r\n')]);
}

describe('oversized requests against the real server (npm start path)', () => {
  let server: RunningServer;
  let port: number;
  beforeAll(async () => {
    server = await startRealServer({ HOTLINE_WORKER: 'off' });
    port = Number(new URL(server.baseUrl).port);
  });
  afterAll(() => server.stop());

  it('answers a body announced at 100 MB with 413 before any of it is sent, and closes', async () => {
    const started = Date.now();
    const conn = await rawConnect(port);
    conn.socket.write(
      `POST /api/v1/reports HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${hundredMb}\r\n\r\n`,
    );
    expect(await conn.status).toBe(413);
    const bytesWritten = await conn.closed;
    figure('announced_100mb_answer_ms', Date.now() - started);
    figure('announced_100mb_client_bytes_sent', bytesWritten);
    expect(conn.received()).toMatch(/connection: close/i);
    expect(conn.received()).toContain('payload_too_large');
  });

  const streamedTo = [
    ['/api/v1/reports', 'application/json', 413],
    ['/report', 'application/x-www-form-urlencoded', 413],
    ['/no-such-route', 'application/json', 404],
  ] as const;
  for (const [path, type, expected] of streamedTo) {
    it(`cuts a streamed 100 MB body to ${path} near the limit and closes`, async () => {
      const conn = await rawConnect(port);
      conn.socket.write(
        `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${type}\r\nTransfer-Encoding: chunked\r\n\r\n`,
      );
      const written = await streamUntilClosed(conn.socket, chunkedFrame(64 * 1024), hundredMb);
      const status = await conn.status;
      figure(`streamed_100mb_${path}_bytes_accepted_before_close`, written);
      expect(status).toBe(expected);
      // Socket buffers on both sides hold a few megabytes; reading the whole body would take all 100.
      expect(written).toBeLessThan(hundredMb / 4);
    });
  }
});

describe('slow and idle connections (the same server code, clocks shortened for the test)', () => {
  const limits = {
    ...defaultServerLimits,
    headersTimeoutMs: 600,
    requestTimeoutMs: 1_200,
    keepAliveTimeoutMs: 300,
    connectionsCheckingIntervalMs: 100,
    maxConnections: 3,
  };
  let port: number;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const server = createHttpServer(createTestApp().app, limits);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    close = () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
  });
  afterAll(() => close());

  it('answers 408 and closes a connection whose headers never end', async () => {
    const conn = await rawConnect(port);
    conn.socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    const dripping = setInterval(() => conn.socket.write('a'), 50);
    expect(await conn.status).toBe(408);
    await conn.closed;
    clearInterval(dripping);
  });

  it('answers 408 and closes a connection whose body trickles in', async () => {
    const conn = await rawConnect(port);
    conn.socket.write(
      'POST /api/v1/reports HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n',
    );
    const dripping = setInterval(() => conn.socket.write(' '), 50);
    expect(await conn.status).toBe(408);
    await conn.closed;
    clearInterval(dripping);
  });

  it('closes an idle keep-alive connection after its answer', async () => {
    const conn = await rawConnect(port);
    conn.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    expect(await conn.status).toBe(200);
    expect(conn.received()).toMatch(/keep-alive: timeout=\d+/i);
    await conn.closed;
  });

  it('closes connections beyond the limit at once', async () => {
    const held = await Promise.all([rawConnect(port), rawConnect(port), rawConnect(port)]);
    for (const conn of held) conn.socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const extra = await rawConnect(port);
    extra.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await extra.closed;
    expect(extra.received()).toBe('');
    for (const conn of held) conn.socket.destroy();
  });

  it('answers 431 to headers over the size limit and reads the first hundred headers only', async () => {
    const big = await rawConnect(port);
    big.socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(20 * 1024)}\r\n\r\n`);
    expect(await big.status).toBe(431);
    const many = await rawConnect(port);
    const headers = Array.from({ length: 500 }, (_, i) => `X-H${i}: v\r\n`).join('');
    many.socket.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}\r\n`);
    expect(await many.status).toBe(200);
    many.socket.destroy();
  });
});

describe('the limits the real server runs with', () => {
  it('are set on the server, not left to Node defaults', () => {
    const server = createHttpServer(() => {});
    figure('server_limits', { ...defaultServerLimits, maxRequestBodyBytes });
    expect(server.headersTimeout).toBe(defaultServerLimits.headersTimeoutMs);
    expect(server.requestTimeout).toBe(defaultServerLimits.requestTimeoutMs);
    expect(server.keepAliveTimeout).toBe(defaultServerLimits.keepAliveTimeoutMs);
    expect(server.maxConnections).toBe(defaultServerLimits.maxConnections);
    expect(server.maxHeadersCount).toBe(defaultServerLimits.maxHeadersCount);
    expect(server.maxRequestsPerSocket).toBe(defaultServerLimits.maxRequestsPerSocket);
    expect(defaultServerLimits.requestTimeoutMs).toBeLessThan(300_000);
  });
});
