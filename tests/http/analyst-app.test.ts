import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { analystApp } from '../../src/http/analyst-app.ts';
import { errorHandler } from '../../src/http/error-handler.ts';
import { createLogger } from '../../src/logger.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function appServing(build: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'analyst-dist-'));
  dirs.push(dir);
  for (const [path, content] of Object.entries(build)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  const app = express();
  app.use(analystApp(dir));
  app.use(errorHandler(createLogger('silent')));
  return app;
}

describe('serving the analyst app', () => {
  it('says, in the asked language, that the app must be built when there is no build', async () => {
    const res = await request(appServing({})).get('/analyst/').set('Accept', 'application/json').query({ lang: 'nl' });
    expect(res.status).toBe(503);
    expect(res.body).toEqual({
      error: 'analyst_app_not_built',
      message: 'De werkomgeving voor analisten is nog niet gebouwd: voer npm run build:ui uit.',
    });
  });

  it('serves the page revalidated every time and hashed assets for good, and nothing outside the build', async () => {
    const app = appServing({ 'index.html': '<!doctype html><title>a</title>', 'assets/index-abc123.js': 'void 0' });
    const page = await request(app).get('/analyst/');
    expect([page.status, page.headers['cache-control']]).toEqual([200, 'no-cache']);
    const asset = await request(app).get('/analyst/assets/index-abc123.js');
    expect([asset.status, asset.headers['cache-control']]).toEqual([200, 'public, max-age=31536000, immutable']);
    expect((await request(app).get('/analyst')).headers.location).toBe('/analyst/');
    expect((await request(app).get('/analyst/../package.json')).status).not.toBe(200);
    expect((await request(app).get('/analyst/assets/missing.js')).status).toBe(404);
  });
});
