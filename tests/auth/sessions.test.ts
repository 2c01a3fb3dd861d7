import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  csrfTokenFor,
  csrfTokenMatches,
  isWellFormedSessionToken,
  newSessionToken,
  sessionExpired,
} from '../../src/auth/sessions.ts';

const timeouts = { sessionIdleMs: 30 * 60_000, sessionAbsoluteMs: 12 * 3_600_000 };

describe('session ids', () => {
  it('are 256 random bits, base64url, never repeated', () => {
    const tokens = Array.from({ length: 1000 }, newSessionToken);
    expect(new Set(tokens).size).toBe(1000);
    for (const token of tokens) {
      expect(isWellFormedSessionToken(token)).toBe(true);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    }
    expect(isWellFormedSessionToken('short')).toBe(false);
    expect(isWellFormedSessionToken(`${newSessionToken()}=`)).toBe(false);
  });
});

describe('sessionExpired', () => {
  const session = { createdAt: 0, lastSeenAt: 0 };
  it('ends a session idle for the idle limit', () => {
    expect(sessionExpired(session, timeouts.sessionIdleMs - 1, timeouts)).toBe(false);
    expect(sessionExpired(session, timeouts.sessionIdleMs, timeouts)).toBe(true);
  });
  it('ends an active session at the absolute limit', () => {
    const active = { createdAt: 0, lastSeenAt: timeouts.sessionAbsoluteMs - 1 };
    expect(sessionExpired(active, timeouts.sessionAbsoluteMs - 1, timeouts)).toBe(false);
    expect(sessionExpired(active, timeouts.sessionAbsoluteMs, timeouts)).toBe(true);
  });
});

describe('CSRF tokens', () => {
  const key = randomBytes(32);
  const session = newSessionToken();
  it('match their own session only', () => {
    const token = csrfTokenFor(key, session);
    expect(csrfTokenMatches(key, session, token)).toBe(true);
    expect(csrfTokenMatches(key, newSessionToken(), token)).toBe(false);
    expect(csrfTokenMatches(randomBytes(32), session, token)).toBe(false);
    expect(csrfTokenMatches(key, session, undefined)).toBe(false);
    expect(csrfTokenMatches(key, session, '')).toBe(false);
    expect(csrfTokenMatches(key, session, token.slice(1))).toBe(false);
  });
});
