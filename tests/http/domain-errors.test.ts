import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { Conflict, DomainError, Forbidden, Invalid, NotFound, TooMany, Unauthorized } from '../../src/errors.ts';
import { errorHandler } from '../../src/http/error-handler.ts';
import { translate } from '../../src/http/i18n.ts';
import { createLogger } from '../../src/logger.ts';

class Unmapped extends DomainError {
  constructor() {
    super('unmapped', 'error.unmapped');
  }
}
class UserNotFound extends NotFound {
  constructor() {
    super('not_found', 'error.user.not_found');
  }
}

/** An app whose one route throws what the test gives it, behind the real error handler. */
function throwing(error: Error) {
  return express()
    .get('/api/thing', () => {
      throw error;
    })
    .use(errorHandler(createLogger('silent')));
}

describe('domain errors over HTTP', () => {
  it.each([
    [new Invalid({ name: 'error.field.invalid' }), 400, 'validation'],
    [new Unauthorized('login_failed'), 401, 'login_failed'],
    [new Forbidden('csrf'), 403, 'csrf'],
    [new NotFound(), 404, 'not_found'],
    [new UserNotFound(), 404, 'not_found'],
    [new Conflict('last_admin'), 409, 'last_admin'],
    [new TooMany(), 429, 'rate_limited'],
  ])('%s answers its status and stable id', async (error, status, id) => {
    const res = await request(throwing(error)).get('/api/thing').set('Accept', 'application/json');
    expect(res.status).toBe(status);
    expect(res.body.error).toBe(id);
    expect(res.body.message).toBe(translate('fr', error.messageKey));
  });

  it('names each invalid field with its localised message', async () => {
    const res = await request(throwing(new Invalid({ name: 'error.field.invalid' })))
      .get('/api/thing')
      .set('Accept-Language', 'en');
    expect(res.body.fields).toEqual({ name: translate('en', 'error.field.invalid') });
  });

  it('answers a domain error of a kind it does not know as a generic 500', async () => {
    const res = await request(throwing(new Unmapped())).get('/api/thing');
    expect(res.status).toBe(500);
    expect(res.body.error).toBe('internal');
  });
});
