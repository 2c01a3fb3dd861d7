import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackServer {
  host: '127.0.0.1' | '::1';
  port: number;
  /** `http://127.0.0.1:PORT` or `http://[::1]:PORT`. */
  origin: string;
  /** The host:port pair to put in HOTLINE_FETCH_ALLOW / FetchOptions.allow. */
  pair: string;
  /** Path of every request the server received, in order. */
  requests: string[];
  close(): Promise<void>;
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** An HTTP server on a loopback address and a free port, for fetcher and pipeline tests. */
export async function startLoopbackServer(
  handler: Handler,
  host: '127.0.0.1' | '::1' = '127.0.0.1',
): Promise<LoopbackServer> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    handler(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const hostPart = host === '::1' ? '[::1]' : host;
  return {
    host,
    port,
    origin: `http://${hostPart}:${port}`,
    pair: `${hostPart}:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
