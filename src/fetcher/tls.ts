import type { Socket } from 'node:net';
import { connect, type TLSSocket } from 'node:tls';
import { FetchError, toFetchError } from './errors.ts';
import type { Target } from './url-policy.ts';

// Node's own TLS and SSL protocol errors (no TLS at all, no common version or cipher). Certificate
// verification codes are not errors here: see startTls.
const tlsErrorCode = /^ERR_(SSL|TLS)_/;

/** A handshake failure that is about TLS itself is `tls`; a reset or a refusal keeps its own reason. */
function handshakeError(error: unknown): FetchError {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && tlsErrorCode.test(code)) return new FetchError('tls', code);
  return toFetchError(error);
}

/** A TLS connection, and why its certificate did not verify (null when it did). */
export interface StartedTls {
  socket: TLSSocket;
  certificateError: string | null;
}

/**
 * Starts TLS on an already vetted socket (direct or through a proxy tunnel). The certificate is
 * checked against the URL's host name, but one that does not verify (self-signed, expired, another
 * name) does not stop the fetch: the request carries nothing secret, and abusive hosts often have
 * such certificates; the failure is returned for the analyst. SNI is sent for names only, as IP
 * literals may not carry it.
 */
export function startTls(socket: Socket, target: Target, signal: AbortSignal): Promise<StartedTls> {
  return new Promise((resolve, reject) => {
    const tlsSocket = connect({
      socket,
      host: target.host,
      ...(target.literal === null ? { servername: target.host } : {}),
      ALPNProtocols: ['http/1.1'],
      rejectUnauthorized: false,
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
    const onError = (error: unknown) => fail(handshakeError(error));
    tlsSocket.once('error', onError);
    tlsSocket.once('secureConnect', () => {
      signal.removeEventListener('abort', onAbort);
      const certificateError = tlsSocket.authorized ? null : String(tlsSocket.authorizationError ?? 'unverified');
      resolve({ socket: tlsSocket, certificateError });
    });
  });
}
