import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect, createServer, type Server, type Socket } from 'node:net';
import ipaddr from 'ipaddr.js';

// Minimal egress proxies on 127.0.0.1 for tests. Whatever destination they are asked for, they
// connect to one loopback upstream port (or refuse, by name), and record what they were asked.

export interface TestProxy {
  url: string;
  /** Destinations requested, as `host:port` (`[v6]:port` for IPv6 addresses). */
  destinations: string[];
  close(): Promise<void>;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function closer(server: Server, sockets: Set<Socket>) {
  return () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
}

/** Reads exactly n bytes from a socket in paused mode. */
function readBytes(socket: Socket, n: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const chunk = socket.read(n) as Buffer | null;
      if (chunk === null) return false;
      socket.off('readable', attempt);
      socket.off('error', reject);
      resolve(chunk);
      return true;
    };
    if (!attempt()) {
      socket.on('readable', attempt);
      socket.once('error', reject);
    }
  });
}

/** A SOCKS5 server (no auth). `replies` maps a destination host to a SOCKS5 error code. */
export async function startSocksProxy(upstreamPort: number, replies: Record<string, number> = {}): Promise<TestProxy> {
  const destinations: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer(async (client) => {
    sockets.add(client);
    client.on('error', () => {});
    const [, methods = 0] = await readBytes(client, 2);
    await readBytes(client, methods);
    client.write(Buffer.from([5, 0]));
    const [, , , addressType] = await readBytes(client, 4);
    let host: string;
    if (addressType === 3) {
      const [length = 0] = await readBytes(client, 1);
      host = (await readBytes(client, length)).toString('latin1');
    } else {
      const raw = await readBytes(client, addressType === 1 ? 4 : 16);
      host = ipaddr.fromByteArray([...raw]).toString();
    }
    const port = (await readBytes(client, 2)).readUInt16BE(0);
    destinations.push(`${host.includes(':') ? `[${host}]` : host}:${port}`);
    const code = replies[host];
    if (code !== undefined) {
      client.end(Buffer.from([5, code, 0, 1, 0, 0, 0, 0, 0, 0]));
      return;
    }
    const upstream = connect({ host: '127.0.0.1', port: upstreamPort }, () => {
      client.write(Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, 0, 0]));
      client.pipe(upstream).pipe(client);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
  });
  const port = await listen(server);
  return { url: `socks5h://127.0.0.1:${port}`, destinations, close: closer(server, sockets) };
}

/** An HTTP proxy supporting CONNECT. `refuse` maps a destination host (`[v6]` bracketed) to the status to answer. */
export async function startConnectProxy(upstreamPort: number, refuse: Record<string, number> = {}): Promise<TestProxy> {
  const destinations: string[] = [];
  const sockets = new Set<Socket>();
  const server = createHttpServer();
  server.on('connect', (req, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.on('error', () => {});
    const authority = req.url ?? '';
    destinations.push(authority);
    const status = refuse[authority.replace(/:\d+$/, '')];
    if (status !== undefined) {
      client.end(`HTTP/1.1 ${status} Refused\r\n\r\n`);
      return;
    }
    const upstream = connect({ host: '127.0.0.1', port: upstreamPort }, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      client.pipe(upstream).pipe(client);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, destinations, close: closer(server, sockets) };
}

/**
 * A "proxy" that accepts connections, records what it was sent, and never answers. `allClosed`
 * settles once every connection it accepted has been closed by the client.
 */
export async function startSilentProxy(): Promise<TestProxy & { allClosed(): Promise<void> }> {
  const destinations: string[] = [];
  const sockets = new Set<Socket>();
  const closed: Promise<void>[] = [];
  const server = createServer((client) => {
    sockets.add(client);
    client.on('error', () => {});
    client.once('data', (chunk: Buffer) => destinations.push(chunk.toString('latin1').split(' ')[1] ?? ''));
    closed.push(new Promise((resolve) => client.once('close', () => resolve())));
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    destinations,
    close: closer(server, sockets),
    allClosed: async () => {
      await Promise.all(closed);
    },
  };
}
