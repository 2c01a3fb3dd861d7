import type { Client } from 'undici';
import type { Config } from '../../config.ts';
import { decodeContent } from './body.ts';
import { type OpenedSocket, openDirect, type Resolver, systemResolver } from './direct-connect.ts';
import { FetchError, toFetchError } from './errors.ts';
import { sniffMediaType } from './media-type.ts';
import { openThroughProxy, parseProxy } from './proxy-connect.ts';
import { maxRedirects, redirectTarget } from './redirects.ts';
import { requestHop } from './request-hop.ts';
import { startTls } from './tls.ts';
import { checkUrl, type Target } from './url-policy.ts';

export { isAllowListed, isGlobalUnicastAddress } from './address-policy.ts';
export type { Resolver } from './direct-connect.ts';
export { FetchError, type FetchErrorReason } from './errors.ts';
export { sniffMediaType } from './media-type.ts';
export { isAllowListedUrl } from './url-policy.ts';

export interface FetchOptions {
  /** Test-only host:port pairs exempt from the address and port checks (HOTLINE_FETCH_ALLOW). */
  allow: string[];
  ports: number[];
  /** Budget for the whole fetch, redirects included. */
  timeoutMs: number;
  /** Budget for name resolution plus connection (and proxy handshake) of each hop. */
  connectTimeoutMs: number;
  /** Cap on the body, counted while streaming and again after decoding any Content-Encoding. */
  maxBytes: number;
  /** socks5://, socks5h:// (both resolve through the proxy) or http:// (CONNECT). */
  proxy?: string;
  /** Name resolution; the system resolver by default. Tests inject one. */
  resolve?: Resolver;
}

export interface FetchedResource {
  url: string;
  finalUrl: string;
  status: number;
  /** Peer address of the connection that served the content; '' when a proxy resolved the name. */
  remoteAddress: string;
  viaProxy: boolean;
  /** Held in memory only; the caller hashes and drops them. */
  bytes: Buffer;
  /** From magic bytes, never from Content-Type: image/jpeg, image/png, ..., video/mp4, text/html, or null. */
  mediaType: string | null;
  /** Each address redirected to, in order; the last one is finalUrl. */
  redirects: string[];
}

export interface Fetcher {
  fetch(url: string): Promise<FetchedResource>;
  /** Ends every connection still open; later fetches fail. */
  close(): Promise<void>;
}

export function fetchOptionsFromConfig(config: Config): FetchOptions {
  const { allow, ports, timeoutMs, connectTimeoutMs, maxBytes, proxy } = config.fetch;
  return { allow, ports, timeoutMs, connectTimeoutMs, maxBytes, ...(proxy ? { proxy } : {}) };
}

export function createFetcher(options: FetchOptions): Fetcher {
  const proxy = options.proxy ? parseProxy(options.proxy) : null;
  const resolve = options.resolve ?? systemResolver;
  const clients = new Set<Client>();
  let closed = false;

  /** A vetted connection for one hop, with TLS started on it for https; within the connect budget. */
  const open = async (target: Target, signal: AbortSignal): Promise<OpenedSocket> => {
    const deadline = AbortSignal.any([signal, AbortSignal.timeout(options.connectTimeoutMs)]);
    const opened = proxy
      ? await openThroughProxy(proxy, target, options.connectTimeoutMs, deadline)
      : await openDirect(target, resolve, deadline);
    if (target.url.protocol !== 'https:') return opened;
    return { ...opened, socket: await startTls(opened.socket, target, deadline) };
  };

  async function follow(url: string, signal: AbortSignal): Promise<FetchedResource> {
    const redirects: string[] = [];
    let current = url;
    for (;;) {
      const target = checkUrl(current, options.ports, options.allow);
      const hop = await requestHop(target, {
        open: (t) => open(t, signal),
        maxBytes: options.maxBytes,
        timeoutMs: options.timeoutMs,
        signal,
        clients,
      });
      const next = redirectTarget(hop.status, hop.headers.location, target.url);
      if (next !== null) {
        if (redirects.length === maxRedirects) throw new FetchError('too_many_redirects');
        redirects.push(next);
        current = next;
        continue;
      }
      if (hop.status < 200 || hop.status > 299) throw new FetchError('http_status', `HTTP ${hop.status}`, hop.status);
      const bytes = await decodeContent(hop.body, hop.headers['content-encoding'] ?? null, options.maxBytes);
      return {
        url,
        finalUrl: target.url.href,
        status: hop.status,
        remoteAddress: hop.remoteAddress,
        viaProxy: proxy !== null,
        bytes,
        mediaType: sniffMediaType(bytes),
        redirects,
      };
    }
  }

  return {
    async fetch(url) {
      if (closed) throw new FetchError('network', 'fetcher closed');
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), options.timeoutMs);
      try {
        return await follow(url, controller.signal);
      } catch (error) {
        throw controller.signal.aborted ? new FetchError('timeout') : toFetchError(error);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      closed = true;
      await Promise.all([...clients].map((client) => client.destroy().catch(() => {})));
    },
  };
}
