import { describe, expect, it } from 'vitest';
import { apiPolicy, apiPrefix, isAllowed, isStateChanging, policyEntriesFor } from '../../src/auth/policy.ts';

describe('the policy table', () => {
  // Written out, not derived: a row added, removed or widened in src/auth/policy.ts must be made
  // here too, on purpose, or this fails.
  it('is exactly these routes and roles', () => {
    expect(apiPolicy.map(({ method, path, allow }) => [method, path, allow])).toEqual([
      ['POST', '/api/v1/reports', 'public'],
      ['POST', '/api/v1/status', 'public'],
      ['POST', '/api/v1/session', 'public'],
      ['GET', '/api/v1/session', ['analyst', 'supervisor', 'admin']],
      ['PATCH', '/api/v1/session', ['analyst', 'supervisor', 'admin']],
      ['DELETE', '/api/v1/session', ['analyst', 'supervisor', 'admin']],
      ['POST', '/api/v1/session/password', ['analyst', 'supervisor', 'admin']],
      ['GET', '/api/v1/users', ['admin']],
      ['POST', '/api/v1/users', ['admin']],
      ['PATCH', '/api/v1/users/:id', ['admin']],
      ['POST', '/api/v1/users/:id/reset', ['admin']],
      ['POST', '/api/v1/users/:id/unlock', ['admin']],
      ['GET', '/api/v1/audit', ['supervisor', 'admin']],
      ['GET', '/api/v1/queue', ['analyst', 'supervisor', 'admin']],
      ['POST', '/api/v1/queue/next', ['analyst', 'supervisor', 'admin']],
      ['GET', '/api/v1/queue/known', ['supervisor', 'admin']],
      ['POST', '/api/v1/queue/known/confirm', ['supervisor', 'admin']],
      ['GET', '/api/v1/items', ['analyst', 'supervisor', 'admin']],
      ['GET', '/api/v1/items/:id', ['analyst', 'supervisor', 'admin']],
      ['POST', '/api/v1/items/:id/release', ['analyst', 'supervisor', 'admin']],
      ['POST', '/api/v1/items/:id/skip', ['analyst', 'supervisor', 'admin']],
      ['GET', '/api/v1/items/:id/media/:n/view', ['analyst', 'supervisor', 'admin']],
      ['POST', '/api/v1/views/:viewId/heartbeat', ['analyst', 'supervisor', 'admin']],
      ['GET', '/api/v1/items/:id/cluster', ['analyst', 'supervisor', 'admin']],
      ['POST', '/api/v1/clusters/assessments', ['analyst', 'supervisor', 'admin']],
      ['GET', '/api/v1/reports/:id/contact', ['supervisor', 'admin']],
      ['POST', '/api/v1/items/:id/assessments', ['analyst', 'supervisor', 'admin']],
      ['POST', '/api/v1/assessments/:id/confirm', ['analyst', 'supervisor', 'admin']],
      ['POST', '/api/v1/assessments/:id/dispute', ['analyst', 'supervisor', 'admin']],
      ['GET', '/api/v1/banks', ['supervisor', 'admin']],
      ['PATCH', '/api/v1/banks/:name', ['admin']],
      ['POST', '/api/v1/banks/:name/imports', ['admin']],
      ['GET', '/api/v1/settings', ['supervisor', 'admin']],
      ['PATCH', '/api/v1/settings', ['admin']],
      ['GET', '/api/v1/destinations', ['supervisor', 'admin']],
      ['POST', '/api/v1/destinations', ['admin']],
      ['PATCH', '/api/v1/destinations/:id', ['admin']],
      ['GET', '/api/v1/forwards', ['supervisor', 'admin']],
      ['PATCH', '/api/v1/forwards/:id', ['supervisor', 'admin']],
      ['GET', '/api/v1/exports', ['supervisor', 'admin']],
      ['GET', '/api/v1/stats', ['supervisor', 'admin']],
      ['GET', '/api/v1/openapi.json', 'public'],
    ]);
  });

  it('has one entry per method and path, each path under /api/v1', () => {
    const keys = apiPolicy.map((e) => `${e.method} ${e.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const entry of apiPolicy) expect(entry.path.startsWith(`${apiPrefix}/`)).toBe(true);
  });

  it('lists a non-empty set of roles wherever it is not public', () => {
    for (const entry of apiPolicy) {
      if (entry.allow !== 'public') expect(entry.allow.length).toBeGreaterThan(0);
    }
  });

  it('keeps accounts to admins and the audit trail to supervisors and admins', () => {
    const allow = (method: string, path: string) => policyEntriesFor(method, path).map((e) => e.allow);
    expect(allow('GET', '/users')).toEqual([['admin']]);
    expect(allow('PATCH', '/users/7')).toEqual([['admin']]);
    expect(allow('GET', '/audit')).toEqual([['supervisor', 'admin']]);
    expect(allow('POST', '/session')).toEqual(['public']);
  });
});

describe('policyEntriesFor', () => {
  it('matches like Express: parameters, any case, an optional trailing slash', () => {
    expect(policyEntriesFor('PATCH', '/users/42')).toHaveLength(1);
    expect(policyEntriesFor('patch', '/USERS/42/')).toHaveLength(1);
    expect(policyEntriesFor('GET', '/audit/')).toHaveLength(1);
  });

  it('matches nothing for other methods, deeper paths or unknown paths', () => {
    expect(policyEntriesFor('DELETE', '/users/42')).toEqual([]);
    expect(policyEntriesFor('PATCH', '/users/42/extra')).toEqual([]);
    expect(policyEntriesFor('PATCH', '/users/')).toEqual([]);
    expect(policyEntriesFor('GET', '/nothing-here')).toEqual([]);
    expect(policyEntriesFor('GET', '/')).toEqual([]);
  });

  it('treats HEAD as GET', () => {
    expect(policyEntriesFor('HEAD', '/users')).toEqual(policyEntriesFor('GET', '/users'));
  });
});

describe('isAllowed', () => {
  const [adminOnly] = policyEntriesFor('GET', '/users');
  const [publicEntry] = policyEntriesFor('POST', '/session');
  if (!adminOnly || !publicEntry) throw new Error('policy entries missing');

  it('lets anyone through a public entry and only listed roles through the others', () => {
    expect(isAllowed([publicEntry], undefined)).toBe(true);
    expect(isAllowed([adminOnly], undefined)).toBe(false);
    expect(isAllowed([adminOnly], 'supervisor')).toBe(false);
    expect(isAllowed([adminOnly], 'admin')).toBe(true);
  });

  it('requires every matching entry to allow, and refuses when nothing matches', () => {
    expect(isAllowed([publicEntry, adminOnly], undefined)).toBe(false);
    expect(isAllowed([publicEntry, adminOnly], 'admin')).toBe(true);
    expect(isAllowed([], 'admin')).toBe(false);
  });

  it('knows which methods change state', () => {
    expect(['POST', 'PUT', 'PATCH', 'DELETE'].every(isStateChanging)).toBe(true);
    expect(['GET', 'HEAD', 'OPTIONS'].some(isStateChanging)).toBe(false);
  });
});
