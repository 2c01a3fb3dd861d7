import { connect, type Socket } from 'node:net';
import { SocksClient } from 'socks';
import { firstConnecting, type OpenedSocket, type Resolver, raceSignal, vettedAddresses } from './direct-connect.ts';
import { FetchError, type FetchErrorReason, toFetchError } from './errors.ts';
import type { Target } from './url-policy.ts';

/**
 * An egress proxy from HOTLINE_PROXY: SOCKS5 (Tor) or an HTTP proxy that supports CONNECT. Only
 * `socks5h` is handed names; `socks5` and `http` get an address we resolved and vetted ourselves,
 * since nothing tells us that such a proxy refuses internal destinations.
 */
export interface Proxy {
  kind: 'socks5' | 'socks5h' | 'http';
  host: string;
  port: number;
  username: string;
  password: string;
}

export const proxySchemes = ['socks5:', 'socks5h:', 'http:'] as const;

export function parseProxy(raw: string): Proxy {
  const url = new URL(raw);
  if (!(proxySchemes as readonly string[]).includes(url.protocol)) {
    throw new Error(`unsupported proxy scheme ${url.protocol} (use socks5, socks5h or http)`);
  }
  const kind = url.protocol.slice(0, -1) as Proxy['kind'];
  return {
    kind,
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port || (kind === 'http' ? 80 : 1080)),
    username: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  };
}

// SOCKS5 reply codes as the socks package names them at the end of its error message.
const socksReasons: [string, FetchErrorReason][] = [
  ['ConnectionRefused', 'refused'],
  ['HostUnreachable', 'dns'],
  ['NotAllowed', 'blocked_address'],
  ['TTLExpired', 'timeout'],
  ['timed out', 'timeout'],
];

/** A SOCKS5 CONNECT to `host` (a vetted address, or a name for socks5h). */
async function openSocks(proxy: Proxy, host: string, port: number, connectTimeoutMs: number): Promise<Socket> {
  try {
    const { socket } = await SocksClient.createConnection({
      proxy: {
        host: proxy.host,
        port: proxy.port,
        type: 5,
        ...(proxy.username ? { userId: proxy.username, password: proxy.password } : {}),
      },
      command: 'connect',
      destination: { host, port },
      timeout: connectTimeoutMs,
    });
    return socket;
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    const reason = socksReasons.find(([needle]) => message.includes(needle))?.[1] ?? 'network';
    throw new FetchError(reason, 'proxy could not connect');
  }
}

const httpReasons: Record<number, FetchErrorReason> = { 403: 'blocked_address', 502: 'network', 504: 'timeout' };

/**
 * Opens a tunnel with `CONNECT address:port`; leftover bytes after the reply go back into the socket.
 * The signal (which carries the connect deadline) destroys the socket: a proxy that accepts and never
 * answers would otherwise hold it open for good, since the caller's race only gives up waiting.
 */
function openHttpTunnel(proxy: Proxy, address: string, port: number, signal: AbortSignal): Promise<Socket> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new FetchError('timeout'));
    const socket = connect({ host: proxy.host, port: proxy.port });
    const authority = `${address.includes(':') ? `[${address}]` : address}:${port}`;
    const auth = proxy.username
      ? `Proxy-Authorization: Basic ${Buffer.from(`${proxy.username}:${proxy.password}`).toString('base64')}\r\n`
      : '';
    let head = Buffer.alloc(0);
    const settle = () => {
      signal.removeEventListener('abort', onAbort);
      socket.off('data', onData);
      socket.off('error', onError);
    };
    const fail = (error: FetchError) => {
      settle();
      socket.destroy();
      reject(error);
    };
    const onAbort = () => fail(new FetchError('timeout'));
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) {
        if (head.length > 16 * 1024) fail(new FetchError('network', 'proxy reply too long'));
        return;
      }
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head.toString('latin1', 0, end))?.[1] ?? 0);
      if (status < 200 || status > 299) return fail(new FetchError(httpReasons[status] ?? 'network', 'proxy refused'));
      settle();
      const rest = head.subarray(end + 4);
      if (rest.length > 0) socket.unshift(rest);
      resolve(socket);
    };
    const onError = (error: unknown) => fail(toFetchError(error));
    signal.addEventListener('abort', onAbort, { once: true });
    socket.on('data', onData);
    socket.once('error', onError);
    socket.once('connect', () => socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n${auth}\r\n`));
  });
}

/** A tunnel through the proxy to host:port within the connect deadline; one that opens late is closed. */
async function tunnel(proxy: Proxy, host: string, port: number, connectTimeoutMs: number, signal: AbortSignal) {
  const opening =
    proxy.kind === 'http' ? openHttpTunnel(proxy, host, port, signal) : openSocks(proxy, host, port, connectTimeoutMs);
  return raceSignal(opening, signal).catch((error: unknown) => {
    opening.then(
      (late) => late.destroy(),
      () => {},
    );
    throw error;
  });
}

/**
 * Opens a connection to the target through the proxy. A socks5h proxy gets the name (that is what
 * makes .onion work, and keeps lookups inside the proxy's network), so the address it reaches is
 * unknown here and it must refuse internal destinations itself (Tor does). Other proxies get each
 * vetted address in turn, exactly as a direct connection would use them. IP literals have already
 * been vetted by the URL policy. The signal carries the connect deadline.
 */
export async function openThroughProxy(
  proxy: Proxy,
  target: Target,
  resolve: Resolver,
  connectTimeoutMs: number,
  signal: AbortSignal,
): Promise<OpenedSocket> {
  const open = async (host: string, remoteAddress: string) => ({
    socket: await tunnel(proxy, host, target.port, connectTimeoutMs, signal),
    remoteAddress,
  });
  if (target.literal !== null) return open(target.literal, target.literal);
  if (proxy.kind === 'socks5h') return open(target.host, '');
  const addresses = await vettedAddresses(target.host, resolve, signal);
  return firstConnecting(addresses, signal, (address) => open(address, address));
}
