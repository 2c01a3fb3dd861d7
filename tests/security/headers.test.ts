import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../support/app.ts';

describe('security headers', () => {
  const paths = ['/', '/status', '/healthz', '/static/hotline.css', '/no-such-page'];
  for (const path of paths) {
    it(`are strict on ${path}`, async () => {
      const t = createTestApp();
      const res = await request(t.app).get(path);
      const csp = res.headers['content-security-policy'];
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      // Object URLs for the safe view (analyst-ui/src/screens/safe-view.tsx), nothing else.
      expect(csp).toContain("img-src 'self' blob:;");
      expect(csp).toContain("form-action 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(res.headers['permissions-policy']).toMatch(/camera=\(\).*microphone=\(\).*geolocation=\(\)/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['set-cookie']).toBeUndefined();
    });
  }

  it('answers /healthz with 200 when the database is reachable, and 500 when it is not', async () => {
    const t = createTestApp();
    expect((await request(t.app).get('/healthz').expect(200)).body.status).toBe('ok');
    t.database.close();
    await request(t.app).get('/healthz').expect(500);
  });

  it('gives an unknown path a localised 404 page or JSON by content negotiation', async () => {
    const t = createTestApp();
    const page = await request(t.app).get('/nope?lang=nl').set('Accept', 'text/html').expect(404);
    expect(page.text).toContain('Deze pagina bestaat niet.');
    const json = await request(t.app).get('/api/v1/nope').set('Accept', 'application/json').expect(404);
    expect(json.body.error).toBe('not_found');
  });
});

describe('client errors', () => {
  it('get a quiet 4xx, never a logged 500', async () => {
    const t = createTestApp();
    await request(t.app).get('/static/missing.css').expect(404);
    await request(t.app).get('/static/').expect(404);
    await request(t.app).get('/static/..%2f..%2fpackage.json').expect(404);
    await request(t.app)
      .post('/api/v1/reports')
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .send('not gzip')
      .expect(400);
    await request(t.app)
      .post('/api/v1/reports')
      .set('Content-Type', 'application/json; charset=koi8-r')
      .send('{}')
      .expect(415);
    const errors = t.logLines.map((line) => JSON.parse(line)).filter((line) => line.level >= 50);
    expect(errors).toEqual([]);
  });
});
