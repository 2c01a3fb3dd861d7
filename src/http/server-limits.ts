import { createServer, type RequestListener, type Server } from 'node:http';

/**
 * How long and how large one connection may be. Node's defaults let a client hold a connection for
 * five minutes with a slow body and check the clocks only every thirty seconds; a hotline's public
 * form is an obvious target for that, so every figure is set here, explicitly.
 */
export interface ServerLimits {
  /** Time to receive the request line and every header. */
  headersTimeoutMs: number;
  /** Time to receive the whole request, body included. */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open. */
  keepAliveTimeoutMs: number;
  /** How often Node checks the two request clocks above (their granularity). */
  connectionsCheckingIntervalMs: number;
  /** Bytes of the request line and headers together; over it the answer is 431. */
  maxHeaderBytes: number;
  /** Headers read per request; further ones are ignored. */
  maxHeadersCount: number;
  /** Open connections; further ones are closed at once. */
  maxConnections: number;
  /** Requests on one keep-alive connection before it is closed. */
  maxRequestsPerSocket: number;
}

export const defaultServerLimits: ServerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  connectionsCheckingIntervalMs: 1_000,
  maxHeaderBytes: 16 * 1024,
  maxHeadersCount: 100,
  maxConnections: 1_000,
  maxRequestsPerSocket: 1_000,
};

/** The HTTP server main.ts listens with: the app behind the limits above. */
export function createHttpServer(app: RequestListener, limits: ServerLimits = defaultServerLimits): Server {
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: limits.connectionsCheckingIntervalMs,
      maxHeaderSize: limits.maxHeaderBytes,
    },
    app,
  );
  server.maxHeadersCount = limits.maxHeadersCount;
  server.maxConnections = limits.maxConnections;
  server.maxRequestsPerSocket = limits.maxRequestsPerSocket;
  return server;
}
