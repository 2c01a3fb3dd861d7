import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { readSessionCookie, sessionCookieName } from '../../src/auth/session-cookie.ts';

/** An app that answers with the session id it read from the request's cookies. */
const echo = express().get('/', (req, res) => void res.json({ session: readSessionCookie(req) ?? null }));
const read = async (cookie?: string) => {
  const req = request(echo).get('/');
  return (await (cookie === undefined ? req : req.set('Cookie', cookie))).body.session;
};

describe('readSessionCookie', () => {
  it('finds the session among other cookies, whatever the spacing', async () => {
    expect(await read(`theme=dark;${sessionCookieName}=abc123 ; lang=nl`)).toBe('abc123');
    expect(await read(`${sessionCookieName}=only`)).toBe('only');
  });

  it('reads nothing without a Cookie header or without our cookie', async () => {
    expect(await read()).toBeNull();
    expect(await read('theme=dark')).toBeNull();
  });

  it('does not take a cookie whose name merely ends like ours', async () => {
    expect(await read(`x${sessionCookieName}=planted; ${sessionCookieName.slice(1)}=planted`)).toBeNull();
  });
});
