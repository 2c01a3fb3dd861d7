import express, { Router } from 'express';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiRouter } from '../../src/auth/api-router.ts';
import { apiPolicy, type PolicyEntry } from '../../src/auth/policy.ts';
import { type Role, roles } from '../../src/auth/roles.ts';
import { errorHandler } from '../../src/http/error-handler.ts';
import { createLogger } from '../../src/logger.ts';
import { listApiRoutes, listRoutes } from '../support/api-routes.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { addUser, asSession, sessionFor, type TestSession, type TestUser } from '../support/auth.ts';

const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`;

describe('every /api/v1 route has a policy entry', () => {
  const t = createTestApp();
  const routes = listApiRoutes(t.app);

  it('finds the API routes at all', () => {
    expect(routes.length).toBeGreaterThanOrEqual(apiPolicy.length);
  });

  it('has an entry for each route, with the same method and path', () => {
    const entries = new Set(apiPolicy.map(key));
    expect(routes.map(key).filter((k) => !entries.has(k))).toEqual([]);
  });

  it('has a route for each entry (no stale entries)', () => {
    const served = new Set(routes.map(key));
    expect(apiPolicy.map(key).filter((k) => !served.has(k))).toEqual([]);
  });

  it('puts every API route behind the guard', () => {
    expect(routes.filter((r) => !r.guarded).map(key)).toEqual([]);
  });

  it('uses only plain string paths, so no API route can hide from this walk', () => {
    expect(listRoutes(t.app).filter((r) => r.path.includes('<'))).toEqual([]);
  });
});

describe('the walk and the guard catch a route added without an entry', () => {
  function appWith(before: Router | undefined, inside: Router) {
    const t = createTestApp();
    const deps = { db: t.database.db, config: t.config, now: t.clock.now };
    const app = express();
    if (before) app.use(before);
    app.use('/api/v1', apiRouter(deps, [inside]));
    app.use(errorHandler(createLogger('silent')));
    return app;
  }
  const leaky = () => Router().get('/unlisted', (_req, res) => void res.json({ leaked: true }));

  it('refuses the route with 404 (deny by default) and the walk reports it', async () => {
    const app = appWith(undefined, leaky());
    await request(app).get('/api/v1/unlisted').expect(404);
    const entries = new Set(apiPolicy.map(key));
    expect(
      listApiRoutes(app as never)
        .filter((r) => !entries.has(key(r)))
        .map(key),
    ).toEqual(['GET /api/v1/unlisted']);
  });

  it('reports a route mounted before the guard as unguarded', () => {
    const early = Router().get('/api/v1/early', (_req, res) => void res.json({}));
    const app = appWith(early, Router());
    expect(listApiRoutes(app as never)).toEqual([{ method: 'GET', path: '/api/v1/early', guarded: false }]);
  });
});

type Caller = 'anonymous' | Role | 'disabled user' | 'expired session';
const callers: Caller[] = ['anonymous', ...roles, 'disabled user', 'expired session'];

/** What the policy table says a caller gets: refused with 401 or 403, or let through to the handler. */
function expectedFor(entry: PolicyEntry, caller: Caller): 401 | 403 | 'handled' {
  if (entry.allow === 'public') return 'handled';
  if (caller === 'anonymous' || caller === 'disabled user' || caller === 'expired session') return 401;
  return entry.allow.includes(caller) ? 'handled' : 403;
}

describe('the route-by-role matrix', () => {
  let t: TestApp;
  const users = {} as Record<Role | 'disabled user' | 'target', TestUser>;

  beforeAll(async () => {
    t = createTestApp();
    for (const role of roles) users[role] = await addUser(t, role);
    users['disabled user'] = await addUser(t, 'admin');
    users.target = await addUser(t, 'analyst');
    t.database.sqlite
      .prepare('update users set disabled_at = ? where id = ?')
      .run(t.clock.now(), users['disabled user'].id);
  });

  function sessionOf(caller: Caller): TestSession | undefined {
    if (caller === 'anonymous') return undefined;
    if (caller === 'expired session') {
      return sessionFor(t, users.admin, t.clock.now() - t.config.auth.sessionIdleMs);
    }
    return sessionFor(t, users[caller]);
  }

  for (const entry of apiPolicy) {
    for (const caller of callers) {
      const expected = expectedFor(entry, caller);
      it(`${entry.method} ${entry.path} as ${caller}: ${expected}`, async () => {
        const path = entry.path.replace(/:\w+/g, String(users.target.id));
        const session = sessionOf(caller);
        const call = request(t.app)
          [entry.method.toLowerCase() as 'post'](path)
          .set(session ? asSession(session) : {});
        const res = await (entry.method === 'GET' ? call : call.send({}));
        if (expected === 'handled') {
          expect([401, 403]).not.toContain(res.status);
          expect(res.status).toBeLessThan(500);
          expect(res.body.error === 'not_found' && res.status === 404).toBe(false);
        } else {
          expect(res.status).toBe(expected);
          expect(res.body.error).toBe(expected === 401 ? 'unauthorized' : 'forbidden');
        }
      });
    }
  }

  /**
   * Other spellings of a request: each must be judged as the entry it names (`as`), or refused as
   * unlisted (404) when Express does not route it to that entry either, for every caller.
   */
  const variants: { name: string; method: string; path: string; headers?: Record<string, string>; as?: string }[] = [
    { name: 'a trailing slash', method: 'GET', path: '/api/v1/users/', as: 'GET /api/v1/users' },
    { name: 'an upper-case path', method: 'GET', path: '/API/V1/USERS', as: 'GET /api/v1/users' },
    { name: 'upper case and a slash', method: 'PATCH', path: '/api/v1/Users/:id/', as: 'PATCH /api/v1/users/:id' },
    { name: 'a doubled leading slash', method: 'GET', path: '//api/v1/users' },
    { name: 'a doubled inner slash', method: 'GET', path: '/api/v1//users' },
    { name: 'a percent-encoded letter', method: 'GET', path: '/api/v1/%75sers' },
    { name: 'an encoded slash', method: 'GET', path: '/api%2Fv1/users' },
    { name: 'HEAD', method: 'HEAD', path: '/api/v1/users', as: 'GET /api/v1/users' },
    { name: 'HEAD on the audit trail', method: 'HEAD', path: '/api/v1/audit', as: 'GET /api/v1/audit' },
    { name: 'OPTIONS', method: 'OPTIONS', path: '/api/v1/users' },
    ...['POST /api/v1/session', 'POST /api/v1/users', 'PATCH /api/v1/users/:id', 'GET /api/v1/users'].map((as) => {
      const [method = '', path = ''] = as.split(' ');
      return {
        name: 'X-HTTP-Method-Override: DELETE',
        method,
        path,
        headers: { 'X-HTTP-Method-Override': 'DELETE' },
        as,
      };
    }),
    {
      name: 'X-HTTP-Method-Override: PATCH',
      method: 'GET',
      path: '/api/v1/users/:id',
      headers: { 'X-HTTP-Method-Override': 'PATCH' },
    },
  ];
  for (const variant of variants) {
    const entry = apiPolicy.find((e) => key(e) === variant.as);
    if (variant.as && !entry) throw new Error(`no policy entry ${variant.as}`);
    for (const caller of callers) {
      const expected = entry ? expectedFor(entry, caller) : 404;
      it(`${variant.method} ${variant.path} (${variant.name}) as ${caller}: ${expected}`, async () => {
        const session = sessionOf(caller);
        const call = request(t.app)
          [variant.method.toLowerCase() as 'post'](variant.path.replace(/:\w+/g, String(users.target.id)))
          .set({ ...(session ? asSession(session) : {}), ...variant.headers });
        const res = await (variant.method === 'GET' || variant.method === 'HEAD' ? call : call.send({}));
        if (expected === 'handled') {
          expect([401, 403, 404]).not.toContain(res.status);
          expect(res.status).toBeLessThan(500);
        } else {
          expect(res.status).toBe(expected);
          if (variant.method !== 'HEAD') {
            expect(res.body.error).toBe({ 401: 'unauthorized', 403: 'forbidden', 404: 'not_found' }[expected]);
          }
        }
      });
    }
  }

  it('does not take X-HTTP-Method-Override: DELETE on POST /api/v1/session for a logout', async () => {
    const session = sessionFor(t, users.analyst);
    await request(t.app)
      .post('/api/v1/session')
      .set({ ...asSession(session), 'X-HTTP-Method-Override': 'DELETE' })
      .send({})
      .expect(400);
    await request(t.app).get('/api/v1/session').set(asSession(session)).expect(200);
  });

  const unlisted = [
    ['get', '/api/v1/nothing-here'],
    ['get', '/api/v1'],
    ['put', '/api/v1/session'],
    ['delete', '/api/v1/users/1'],
    ['get', '/api/v1/users/1'],
    ['post', '/api/v1/audit'],
  ] as const;
  for (const [method, path] of unlisted) {
    it(`${method.toUpperCase()} ${path} (no entry) is 404 for every caller`, async () => {
      for (const caller of callers) {
        const session = sessionOf(caller);
        const res = await request(t.app)
          [method](path)
          .set(session ? asSession(session) : {});
        expect(res.status, caller).toBe(404);
      }
    });
  }
});
