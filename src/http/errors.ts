/**
 * The one error type the HTTP layer understands. `id` is stable (clients may switch on it),
 * `messageKey` names the text in the message catalogues, `fields` maps a field to its message key.
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

export const badRequest = (id: string, messageKey = `error.${id}`, fields?: Record<string, string>) =>
  new HttpError(400, id, messageKey, fields);
export const validationFailed = (fields: Record<string, string>) =>
  new HttpError(400, 'validation', 'error.validation', fields);
export const unauthorized = () => new HttpError(401, 'unauthorized', 'error.unauthorized');
export const forbidden = (id = 'forbidden') => new HttpError(403, id, `error.${id}`);
export const notFound = (id = 'not_found') => new HttpError(404, id, `error.${id}`);
export const conflict = (id: string) => new HttpError(409, id, `error.${id}`);
export const tooManyRequests = () => new HttpError(429, 'rate_limited', 'error.rate_limited');
