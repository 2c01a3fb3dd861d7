import type { Client } from 'undici';
import type { Config } from '../config.ts';
import type { ExactDigest } from './body-sink.ts';
import { type OpenedSocket, openDirect, type Resolver, systemResolver } from './direct-connect.ts';
import { FetchError, toFetchError } from './errors.ts';
import { FetchBudget } from './fetch-budget.ts';
import { refreshTarget } from './meta-refresh.ts';
import { openThroughProxy, parseProxy } from './proxy-connect.ts';
import { maxRedirects, redirectTarget } from './redirects.ts';
import { requestHop } from './request-hop.ts';
import { startTls } from './tls.ts';
import { checkOnionRoute, checkUrl, type Target } from './url-policy.ts';

export { isAllowListed, isGlobalUnicastAddress } from './address-policy.ts';
export type { ExactDigest } from './body-sink.ts';
export type { Resolver } from './direct-connect.ts';
export { FetchError, type FetchErrorReason } from './errors.ts';
export { isAllowListedUrl } from './url-policy.ts';

export interface FetchOptions {
  /** Test-only host:port pairs exempt from the address and port checks (HOTLINE_FETCH_ALLOW). */
  allow: string[];
  ports: number[];
  /** Budget for the whole fetch, redirects included. */
  timeoutMs: number;
  /** Budget, from the same start, for a fetch whose body is streamed into the hashes (videos, archives); timeoutMs by default. */
  streamTimeoutMs?: number;
  /** Budget for name resolution plus connection (and proxy handshake) of each hop. */
  connectTimeoutMs: number;
  /** Cap on a body kept in memory (a decodable image or a page), after any Content-Encoding. */
  maxBytes: number;
  /** Cap on any body, raw and decoded, counted while streaming; past it the fetch is `too_large`. */
  maxStreamBytes: number;
  /** socks5h:// (resolves names, reaches .onion), socks5:// or http:// (CONNECT; we resolve and vet). */
  proxy?: string;
  /** Name resolution (direct, socks5:// and http:// proxies); the system resolver by default. Tests inject one. */
  resolve?: Resolver;
}

export interface FetchedResource {
  url: string;
  finalUrl: string;
  status: number;
  /**
   * Address of the server that served the content (for the hosting lookup), never a reporter's;
   * '' when a proxy resolved the name.
   */
  remoteAddress: string;
  viaProxy: boolean;
  /** Hashes and size of the whole decoded body, computed while it streamed; always present. */
  exact: ExactDigest;
  /**
   * The decoded body, held in memory only when it is a decodable image (JPEG, PNG, WebP, GIF, AVIF)
   * or HTML of at most maxBytes; null otherwise. The caller hashes it and overwrites it.
   */
  bytes: Buffer | null;
  /**
   * From magic bytes (sniffMediaType of signals/media-type.ts), never from Content-Type:
   * image/jpeg, ..., video/mp4, video/x-ms-asf, application/zip, text/html ...; null when unknown.
   */
  mediaType: string | null;
  /** Each address redirected to, in order; the last one is finalUrl. */
  redirects: string[];
  /**
   * Why a certificate on the way did not verify (the first such hop's OpenSSL code, such as
   * `DEPTH_ZERO_SELF_SIGNED_CERT`), null when every https hop verified. The content is fetched anyway.
   */
  tlsInvalid: string | null;
}

export interface Fetcher {
  /**
   * Fetches `url`, redirects included, within the fetch budget. Aborting `signal` (a job's budget
   * spent, a worker stopping) ends the fetch at once, connections and transfers included: `timeout`.
   */
  fetch(url: string, signal?: AbortSignal): Promise<FetchedResource>;
  /** Ends every connection still open; later fetches fail. */
  close(): Promise<void>;
}

export function fetchOptionsFromConfig(config: Config): FetchOptions {
  const { allow, ports, timeoutMs, streamTimeoutMs, connectTimeoutMs, maxBytes, maxStreamBytes, proxy } = config.fetch;
  const limits = { timeoutMs, streamTimeoutMs, connectTimeoutMs, maxBytes, maxStreamBytes };
  return { allow, ports, ...limits, ...(proxy ? { proxy } : {}) };
}

export function createFetcher(options: FetchOptions): Fetcher {
  const proxy = options.proxy ? parseProxy(options.proxy) : null;
  const resolve = options.resolve ?? systemResolver;
  const clients = new Set<Client>();
  const streamTimeoutMs = Math.max(options.timeoutMs, options.streamTimeoutMs ?? options.timeoutMs);
  let closed = false;

  /** A vetted connection for one hop, with TLS started on it for https; within the connect budget. */
  const open = async (target: Target, signal: AbortSignal): Promise<OpenedSocket> => {
    const deadline = AbortSignal.any([signal, AbortSignal.timeout(options.connectTimeoutMs)]);
    const opened = proxy
      ? await openThroughProxy(proxy, target, resolve, options.connectTimeoutMs, deadline)
      : await openDirect(target, resolve, deadline);
    if (target.url.protocol !== 'https:') return opened;
    const tls = await startTls(opened.socket, target, deadline);
    return { ...opened, socket: tls.socket, certificateError: tls.certificateError };
  };

  async function follow(url: string, budget: FetchBudget): Promise<FetchedResource> {
    const { signal } = budget;
    const redirects: string[] = [];
    let tlsInvalid: string | null = null;
    let current = url;
    for (;;) {
      const target = checkUrl(current, options.ports, options.allow);
      checkOnionRoute(target, proxy?.kind === 'socks5h');
      const hop = await requestHop(target, {
        open: (t) => open(t, signal),
        limits: { maxBytes: options.maxBytes, maxStreamBytes: options.maxStreamBytes },
        headersTimeoutMs: options.timeoutMs,
        bodyTimeoutMs: streamTimeoutMs,
        signal,
        onStreaming: () => budget.extendForStream(),
        clients,
      });
      tlsInvalid ??= hop.certificateError;
      const refresh = hop.body === null ? null : refreshTarget(hop.body, target.url);
      const next = redirectTarget(hop.status, hop.headers.location, target.url) ?? refresh;
      if (next !== null) {
        hop.body?.bytes?.fill(0); // a page that refreshes at once is a hop, not the content
        if (redirects.length === maxRedirects) throw new FetchError('too_many_redirects');
        redirects.push(next);
        current = next;
        continue;
      }
      // Only a 2xx response has its body read.
      if (hop.body === null) throw new FetchError('http_status', `HTTP ${hop.status}`, hop.status);
      return {
        url,
        finalUrl: target.url.href,
        status: hop.status,
        remoteAddress: hop.remoteAddress,
        viaProxy: proxy !== null,
        ...hop.body,
        redirects,
        tlsInvalid,
      };
    }
  }

  return {
    async fetch(url, signal) {
      if (closed) throw new FetchError('network', 'fetcher closed');
      const budget = new FetchBudget(options.timeoutMs, streamTimeoutMs, signal);
      try {
        return await follow(url, budget);
      } catch (error) {
        throw budget.signal.aborted ? new FetchError('timeout') : toFetchError(error);
      } finally {
        budget.end();
      }
    },
    async close() {
      closed = true;
      await Promise.all([...clients].map((client) => client.destroy().catch(() => {})));
    },
  };
}
