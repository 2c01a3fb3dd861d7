import type { Socket } from 'node:net';
import { connect, type TLSSocket } from 'node:tls';
import { FetchError } from './errors.ts';
import type { Target } from './url-policy.ts';

/**
 * Starts TLS on an already vetted socket (direct or through a proxy tunnel). Certificates are
 * verified against the URL's host name; SNI is sent for names only, as IP literals may not carry it.
 */
export function startTls(socket: Socket, target: Target, signal: AbortSignal): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const tlsSocket = connect({
      socket,
      host: target.host,
      ...(target.literal === null ? { servername: target.host } : {}),
      ALPNProtocols: ['http/1.1'],
    });
    const fail = (error: FetchError) => {
      signal.removeEventListener('abort', onAbort);
      tlsSocket.destroy();
      socket.destroy();
      reject(error);
    };
    const onAbort = () => fail(new FetchError('timeout'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    const onError = () => fail(new FetchError('network', 'TLS handshake failed'));
    tlsSocket.once('error', onError);
    tlsSocket.once('secureConnect', () => {
      signal.removeEventListener('abort', onAbort);
      resolve(tlsSocket);
    });
  });
}
