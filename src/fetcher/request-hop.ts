import { Client } from 'undici';
import { type BodyLimits, discard, readBody } from './body.ts';
import type { CollectedBody } from './body-sink.ts';
import type { OpenedSocket } from './direct-connect.ts';
import { toFetchError } from './errors.ts';
import type { Target } from './url-policy.ts';

export interface HopResponse {
  status: number;
  headers: Record<string, string | undefined>;
  /** Read only for 2xx responses; redirects and errors are discarded unread (null). */
  body: CollectedBody | null;
  /** The fetched server's address (hosting), never a reporter's. */
  remoteAddress: string;
  /** Why the server's certificate did not verify; null when it did or for plain http. */
  certificateError: string | null;
}

export interface HopOptions {
  /** Opens the vetted connection for this hop (directly or through the proxy). */
  open: (target: Target) => Promise<OpenedSocket>;
  limits: BodyLimits;
  headersTimeoutMs: number;
  /** Longest wait for the next chunk of a body; the fetch budget bounds the whole. */
  bodyTimeoutMs: number;
  signal: AbortSignal;
  /** Called once the body turns out to be streamed into the hashes without being kept. */
  onStreaming: () => void;
  /** Tracks live clients so that close() can end them. */
  clients: Set<Client>;
}

// Sent so the server gives what a browser would see; no cookies, no referrer, nothing about us.
const requestHeaders = {
  accept: 'text/html,image/avif,image/webp,image/*,video/*;q=0.9,*/*;q=0.8',
  'accept-encoding': 'gzip, deflate, br',
  'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
};

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * One GET on a fresh single-connection client whose only way to connect is `open`, so the socket
 * undici uses is exactly the vetted one and its peer address is known for this response.
 */
export async function requestHop(target: Target, options: HopOptions): Promise<HopResponse> {
  let remoteAddress = '';
  let certificateError: string | null = null;
  const client = new Client(target.url.origin, {
    connect: (_connectOptions, callback) => {
      options.open(target).then(
        (opened) => {
          remoteAddress = opened.remoteAddress;
          certificateError = opened.certificateError ?? null;
          callback(null, opened.socket);
        },
        (error: unknown) => callback(toFetchError(error), null),
      );
    },
    headersTimeout: options.headersTimeoutMs,
    bodyTimeout: options.bodyTimeoutMs,
  });
  options.clients.add(client);
  try {
    const response = await client.request({
      method: 'GET',
      path: `${target.url.pathname}${target.url.search}`,
      headers: requestHeaders,
      signal: options.signal,
    });
    const headers = Object.fromEntries(Object.entries(response.headers).map(([k, v]) => [k, headerValue(v)]));
    if (response.statusCode < 200 || response.statusCode > 299) {
      discard(response.body);
      return { status: response.statusCode, headers, body: null, remoteAddress, certificateError };
    }
    const declared = headers['content-length'] === undefined ? null : Number(headers['content-length']);
    const encoding = headers['content-encoding'] ?? null;
    const length = Number.isFinite(declared) ? declared : null;
    const body = await readBody(response.body, encoding, length, options.limits, options.onStreaming);
    return { status: response.statusCode, headers, body, remoteAddress, certificateError };
  } finally {
    options.clients.delete(client);
    await client.destroy().catch(() => {});
  }
}
