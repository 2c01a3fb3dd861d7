import type { Socket } from 'node:net';
import { connect, type TLSSocket } from 'node:tls';
import { FetchError, toFetchError } from './errors.ts';
import type { Target } from './url-policy.ts';

// OpenSSL's certificate verification codes (CERT_HAS_EXPIRED, DEPTH_ZERO_SELF_SIGNED_CERT,
// UNABLE_TO_VERIFY_LEAF_SIGNATURE ...) and Node's own TLS and SSL protocol errors.
const tlsErrorCode = /^ERR_(SSL|TLS)_|CERT|SELF_SIGNED|UNABLE_TO_/;

/** A handshake failure that is about TLS itself is `tls`; a reset or a refusal keeps its own reason. */
function handshakeError(error: unknown): FetchError {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && tlsErrorCode.test(code)) return new FetchError('tls', code);
  return toFetchError(error);
}

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
    const onError = (error: unknown) => fail(handshakeError(error));
    tlsSocket.once('error', onError);
    tlsSocket.once('secureConnect', () => {
      signal.removeEventListener('abort', onAbort);
      resolve(tlsSocket);
    });
  });
}
