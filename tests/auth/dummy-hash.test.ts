import argon2 from 'argon2';
import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { argon2Cost } from '../../src/auth/passwords.ts';
import { createTestApp } from '../support/app.ts';
import { addUser, totpCode } from '../support/auth.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

// Its own file: the dummy hash is computed once per process, by the first app created.
describe('logins naming no account', () => {
  it('check a dummy hash computed at startup, with one argon2 verification like a known user', async () => {
    const hash = vi.spyOn(argon2, 'hash');
    const t = createTestApp();
    expect(hash).toHaveBeenCalledTimes(1);
    expect(hash.mock.calls[0]?.[1]).toMatchObject(argon2Cost);
    const user = await addUser(t, 'analyst', 'known');
    hash.mockClear();
    const verify = vi.spyOn(argon2, 'verify');
    const login = (username: string, password: string) =>
      request(t.app)
        .post('/api/v1/session')
        .send({ username, password, totp: totpCode(user, t.clock.now()) })
        .expect(401);

    await login('nobody', user.password);
    expect(verify).toHaveBeenCalledTimes(1);
    expect(hash).not.toHaveBeenCalled();

    verify.mockClear();
    await login('known', 'not the password at all');
    expect(verify).toHaveBeenCalledTimes(1);
  });
});
