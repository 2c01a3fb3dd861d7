/** Why a fetch did not give content; stored on the item as the reason it is unreachable. */
export type FetchErrorReason =
  | 'unsupported_scheme'
  | 'userinfo'
  | 'port'
  | 'blocked_address'
  /** A `.onion` address without a socks5h:// proxy to resolve it (RFC 7686: never system DNS). */
  | 'needs_proxy'
  | 'dns'
  | 'refused'
  /** The TLS handshake failed: no TLS at all, or no protocol in common (a bad certificate is not a failure). */
  | 'tls'
  | 'timeout'
  | 'http_status'
  | 'too_large'
  | 'too_many_redirects'
  | 'not_media'
  | 'network';

export class FetchError extends Error {
  constructor(
    readonly reason: FetchErrorReason,
    message: string = reason,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'FetchError';
  }
}

const reasonByCode: Record<string, FetchErrorReason> = {
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EAI_NODATA: 'dns',
  EAI_NONAME: 'dns',
  ECONNREFUSED: 'refused',
  ETIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
};

/** Turns whatever a socket, resolver or undici threw into a FetchError; FetchErrors pass through. */
export function toFetchError(error: unknown): FetchError {
  if (error instanceof FetchError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const reason = typeof code === 'string' ? reasonByCode[code] : undefined;
  return new FetchError(reason ?? 'network', typeof code === 'string' ? code : 'network error');
}
