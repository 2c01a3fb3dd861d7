import type { Request } from 'express';
import {
  Conflict,
  type DomainError,
  Forbidden,
  Gone,
  Invalid,
  NotFound,
  TooMany,
  Unauthorized,
  Unsupported,
  UpstreamFailed,
} from '../errors.ts';

/**
 * An answer only the HTTP layer can give (a body too large, not JSON) or a domain error given its
 * status. `id` is stable (clients may switch on it), `messageKey` names the text in the message
 * catalogues, `fields` maps a field to its message key.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly id: string,
    readonly messageKey: string,
    readonly fields?: Record<string, string>,
  ) {
    super(id);
    this.name = 'HttpError';
  }
}

// Checked in order with instanceof, so a subclass a domain adds (a NotFound of its own) maps too.
const statuses: [abstract new (...args: never[]) => DomainError, number][] = [
  [Invalid, 400],
  [Unauthorized, 401],
  [Forbidden, 403],
  [NotFound, 404],
  [Conflict, 409],
  [Gone, 410],
  [Unsupported, 415],
  [TooMany, 429],
  [UpstreamFailed, 502],
];

/** The HTTP answer to a domain error; undefined for a kind this table does not know (a plain 500). */
export function httpErrorOf(error: DomainError): HttpError | undefined {
  const status = statuses.find(([kind]) => error instanceof kind)?.[1];
  if (status === undefined) return undefined;
  return new HttpError(status, error.id, error.messageKey, error instanceof Invalid ? error.fields : undefined);
}

/** The JSON object a route was sent, or a 415 (not JSON) or 400 (JSON, but not an object). */
export function requireJsonObject(req: Request): Record<string, unknown> {
  if (!req.is('application/json')) throw new HttpError(415, 'unsupported_media_type', 'error.unsupported_media_type');
  if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
    throw new HttpError(400, 'invalid_json', 'error.invalid_json');
  }
  return req.body as Record<string, unknown>;
}
