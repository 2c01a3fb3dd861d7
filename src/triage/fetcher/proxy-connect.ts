import { connect, type Socket } from 'node:net';
import { SocksClient } from 'socks';
import { type OpenedSocket, raceSignal } from './direct-connect.ts';
import { FetchError, type FetchErrorReason, toFetchError } from './errors.ts';
import type { Target } from './url-policy.ts';

/** An egress proxy from HOTLINE_PROXY: SOCKS5 (Tor) or an HTTP proxy that supports CONNECT. */
export interface Proxy {
  kind: 'socks5' | 'http';
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
  const kind = url.protocol === 'http:' ? 'http' : 'socks5';
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

async function openSocks(proxy: Proxy, target: Target, connectTimeoutMs: number): Promise<Socket> {
  try {
    const { socket } = await SocksClient.createConnection({
      proxy: {
        host: proxy.host,
        port: proxy.port,
        type: 5,
        ...(proxy.username ? { userId: proxy.username, password: proxy.password } : {}),
      },
      command: 'connect',
      // A name goes to the proxy unresolved (socks5h semantics): that is what makes .onion work,
      // and it keeps name lookups inside the proxy's network.
      destination: { host: target.host, port: target.port },
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

/** Opens a tunnel with `CONNECT host:port`; leftover bytes after the reply go back into the socket. */
function openHttpTunnel(proxy: Proxy, target: Target): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: proxy.host, port: proxy.port });
    const authority = `${target.literal?.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
    const auth = proxy.username
      ? `Proxy-Authorization: Basic ${Buffer.from(`${proxy.username}:${proxy.password}`).toString('base64')}\r\n`
      : '';
    let head = Buffer.alloc(0);
    const fail = (error: FetchError) => {
      socket.destroy();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) {
        if (head.length > 16 * 1024) fail(new FetchError('network', 'proxy reply too long'));
        return;
      }
      socket.off('data', onData);
      socket.off('error', onError);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head.toString('latin1', 0, end))?.[1] ?? 0);
      if (status < 200 || status > 299) return fail(new FetchError(httpReasons[status] ?? 'network', 'proxy refused'));
      const rest = head.subarray(end + 4);
      if (rest.length > 0) socket.unshift(rest);
      resolve(socket);
    };
    const onError = (error: unknown) => fail(toFetchError(error));
    socket.on('data', onData);
    socket.once('error', onError);
    socket.once('connect', () => socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n${auth}\r\n`));
  });
}

/**
 * Opens a connection to the target through the proxy. The proxy resolves names, so the address
 * actually reached is not known here: the proxy must itself refuse internal destinations
 * (Tor does by default). IP literals have already been vetted by the URL policy. The signal
 * carries the connect deadline.
 */
export async function openThroughProxy(
  proxy: Proxy,
  target: Target,
  connectTimeoutMs: number,
  signal: AbortSignal,
): Promise<OpenedSocket> {
  const opening = proxy.kind === 'socks5' ? openSocks(proxy, target, connectTimeoutMs) : openHttpTunnel(proxy, target);
  const socket = await raceSignal(opening, signal).catch((error: unknown) => {
    opening.then(
      (late) => late.destroy(),
      () => {},
    );
    throw error;
  });
  return { socket, remoteAddress: target.literal ?? '' };
}
