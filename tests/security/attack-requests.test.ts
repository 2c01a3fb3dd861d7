import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { listRoutes } from '../support/api-routes.ts';
import { createTestApp, formTokenOf, type TestApp } from '../support/app.ts';
import { addUser, asSession, sessionFor } from '../support/auth.ts';
import { databaseDigest } from '../support/db-digest.ts';

const validReport = {
  urls: ['https://www.example.com/gallery/1'],
  category: 'csam',
  siteType: 'website',
  mediaType: 'image',
};

/** The security headers every answer carries, whatever the route, status or method. */
function expectStrictHeaders(res: request.Response) {
  expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['referrer-policy']).toBe('no-referrer');
  expect(res.headers['x-frame-options']).toBeDefined();
  expect(res.headers['x-powered-by']).toBeUndefined();
}

const noServerErrors = (t: TestApp) =>
  expect(t.logLines.map((line) => JSON.parse(line)).filter((line) => line.level >= 50)).toEqual([]);

let t: TestApp;
beforeEach(() => {
  t = createTestApp();
});

describe('headers on every route', () => {
  it('are strict on every route the app serves to an anonymous request, and on HEAD and OPTIONS', async () => {
    const routes = listRoutes(t.app).filter((r) => !r.path.includes('<'));
    expect(routes.length).toBeGreaterThan(8);
    for (const route of routes) {
      const path = route.path.replace(/:[a-zA-Z]+/g, '1');
      const method = route.method === 'ALL' ? 'get' : (route.method.toLowerCase() as 'get' | 'post');
      const res = await request(t.app)[method](path).set('Accept', 'application/json');
      expect(res.status, `${route.method} ${path}`).toBeLessThan(500);
      expectStrictHeaders(res);
    }
    for (const path of ['/', '/status', '/api/v1/reports']) {
      expectStrictHeaders(await request(t.app).head(path));
      expectStrictHeaders(await request(t.app).options(path));
    }
    noServerErrors(t);
  });

  it('are strict on every route for a signed-in admin too, with the CSRF token, so each reaches its handler', async () => {
    const admin = await addUser(t, 'admin');
    const routes = listRoutes(t.app).filter((r) => !r.path.includes('<'));
    const reachedHandler: string[] = [];
    for (const route of routes) {
      const path = route.path.replace(/:[a-zA-Z]+/g, '1');
      const method = route.method === 'ALL' ? 'get' : (route.method.toLowerCase() as 'get' | 'post');
      // A session of its own for each: one of the routes signs out.
      const session = sessionFor(t, admin);
      const res = await request(t.app)[method](path).set(asSession(session)).set('Accept', 'application/json');
      expect(res.status, `${route.method} ${path}`).toBeLessThan(500);
      if (res.status !== 401 && res.status !== 403) reachedHandler.push(`${route.method} ${path}`);
      expectStrictHeaders(res);
    }
    // Signed in as an admin, the API's routes answer from their handlers, not the guard.
    expect(reachedHandler).toEqual(expect.arrayContaining(['GET /api/v1/session', 'GET /api/v1/users']));
    for (const path of ['/api/v1/session', '/api/v1/users', '/metrics']) {
      const session = sessionFor(t, admin);
      expectStrictHeaders(await request(t.app).head(path).set(asSession(session)));
      expectStrictHeaders(await request(t.app).options(path).set(asSession(session)));
    }
    noServerErrors(t);
  });
});

describe('path traversal on static files', () => {
  const attempts = [
    '/static/..%2fpackage.json',
    '/static/..%2f..%2fpackage.json',
    '/static/%2e%2e/package.json',
    '/static/%2e%2e%2fpackage.json',
    '/static/%2e%2e%2f%2e%2e%2fsrc%2fconfig.ts',
    '/static/..%5cpackage.json',
    '/static/..%5c..%5cpackage.json',
    '/static/%2e%2e%5cpackage.json',
    '/static/..%255cpackage.json',
    '/static/%252e%252e%252fpackage.json',
    '/static/....//package.json',
    '/static/.%2e/package.json',
    '/static/%c0%ae%c0%ae/package.json',
    '/static/hotline.css%00.json',
    '/static//etc/passwd',
  ];
  for (const path of attempts) {
    it(`serves nothing outside public/ for ${path}`, async () => {
      const res = await request(t.app).get(path);
      expect([400, 403, 404]).toContain(res.status);
      expect(res.text).not.toContain('"name": "hotline"');
      expect(res.text).not.toContain('process.env');
      expect(res.text).not.toContain('root:');
      expectStrictHeaders(res);
    });
  }

  it('still serves the stylesheet itself', async () => {
    await request(t.app).get('/static/hotline.css').expect(200);
  });
});

describe('parameter pollution', () => {
  it('takes one language when ?lang= comes twice, and does not fail', async () => {
    const res = await request(t.app).get('/?lang=en&lang=nl').expect(200);
    expect(res.text).toMatch(/<html lang="(fr|en|nl)"/);
  });

  it('refuses a form post with a field given twice, naming it, storing nothing', async () => {
    const page = await request(t.app).get('/?lang=en');
    const before = databaseDigest(t.database);
    const res = await request(t.app)
      .post('/report?lang=en')
      .type('form')
      .send(
        `formToken=${encodeURIComponent(formTokenOf(page.text))}&urls=https%3A%2F%2Fexample.com%2Fa&category=csam&category=other&siteType=website&mediaType=image`,
      );
    expect(res.status).toBe(400);
    expect(res.text).toContain('id="category-error"');
    expect(databaseDigest(t.database)).toBe(before);
  });

  it('refuses a JSON field given as an array where a string is expected', async () => {
    const before = databaseDigest(t.database);
    const res = await request(t.app)
      .post('/api/v1/reports')
      .send({ ...validReport, category: ['csam', 'other'] })
      .expect(400);
    expect(Object.keys(res.body.fields)).toEqual(['category']);
    expect(databaseDigest(t.database)).toBe(before);
  });
});

describe('__proto__ and constructor keys', () => {
  const bodies = [
    `{"__proto__":{"polluted":true},"urls":["https://example.com/a"],"category":"csam","siteType":"website","mediaType":"image"}`,
    `{"constructor":{"prototype":{"polluted":true}},"urls":["https://example.com/a"],"category":"csam","siteType":"website","mediaType":"image"}`,
    `{"urls":{"__proto__":["https://example.com/a"]},"category":"csam","siteType":"website","mediaType":"image"}`,
  ];
  for (const body of bodies) {
    it(`refuse ${body.slice(0, 40)}… naming the field, polluting nothing`, async () => {
      const before = databaseDigest(t.database);
      const res = await request(t.app).post('/api/v1/reports').set('Content-Type', 'application/json').send(body);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('validation');
      expect(Object.keys(res.body.fields).length).toBeGreaterThan(0);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
      expect(databaseDigest(t.database)).toBe(before);
    });
  }

  it('refuse them in the form post and the status check too', async () => {
    const before = databaseDigest(t.database);
    const form = await request(t.app).post('/report').type('form').send('__proto__[polluted]=1&constructor=x');
    expect(form.status).toBe(400);
    const status = await request(t.app)
      .post('/api/v1/status')
      .set('Content-Type', 'application/json')
      .send('{"__proto__":{"receipt":"x"}}');
    expect(status.status).toBe(400);
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(databaseDigest(t.database)).toBe(before);
  });
});

describe('deep and odd JSON', () => {
  for (const [name, body] of [
    ['10,000 nested arrays', `${'['.repeat(10_000)}${']'.repeat(10_000)}`],
    ['5,000 nested objects', `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`],
    ['a bare string', '"report"'],
    ['null', 'null'],
    ['truncated', '{"urls":["https://example.com/a"'],
    ['a lone surrogate', '{"urls":["https://example.com/\\ud800"],"category":"csam"}'],
  ]) {
    it(`answers ${name} with a 4xx, stores nothing`, async () => {
      const before = databaseDigest(t.database);
      const res = await request(t.app).post('/api/v1/reports').set('Content-Type', 'application/json').send(body);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(databaseDigest(t.database)).toBe(before);
    });
  }
  it('logs no server error for any of them', async () => {
    await request(t.app)
      .post('/api/v1/reports')
      .set('Content-Type', 'application/json')
      .send(`${'['.repeat(10_000)}${']'.repeat(10_000)}`);
    noServerErrors(t);
  });
});

describe('odd methods', () => {
  it('answers TRACE without echoing the request', async () => {
    const res = await request(t.app).trace('/').set('X-Secret-Probe', 'echo-me');
    expect([404, 405]).toContain(res.status);
    expect(res.text).not.toContain('echo-me');
    expectStrictHeaders(res);
  });

  it('answers HEAD with headers and no body', async () => {
    const res = await request(t.app).head('/').expect(200);
    expect(res.text ?? '').toBe('');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('answers OPTIONS without CORS permissions for other origins', async () => {
    const res = await request(t.app).options('/api/v1/reports').set('Origin', 'https://evil.example');
    expect(res.status).toBeLessThan(500);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses an announced body over the limit with 413 and stores nothing', async () => {
    const before = databaseDigest(t.database);
    const res = await request(t.app)
      .post('/api/v1/reports')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ ...validReport, description: 'a'.repeat(40_000) }));
    expect(res.status).toBe(413);
    expect(res.body.error).toBe('payload_too_large');
    expect(databaseDigest(t.database)).toBe(before);
  });
});
