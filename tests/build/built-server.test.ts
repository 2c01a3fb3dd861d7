import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStale, isStale } from '../../scripts/build-if-stale.ts';
import { fromBuild, type RunningServer, startRealServer } from '../support/server.ts';

// What `npm start` does: build what is stale, then run the compiled JavaScript with node alone.
const root = fileURLToPath(new URL('../..', import.meta.url));
let server: RunningServer;

beforeAll(async () => {
  expect(buildStale(root)).toBe(true);
  server = await startRealServer({}, fromBuild);
}, 240_000);
afterAll(() => server?.stop());

describe('the built server', () => {
  it('leaves nothing stale and the compiled entry point in place', () => {
    expect(isStale({ name: 'server', sources: ['src'], output: 'dist', script: 'build' }, root)).toBe(false);
    expect(existsSync(`${root}/dist/main.js`)).toBe(true);
  });

  it('answers /healthz after applying the migrations it found in dist', async () => {
    const res = await fetch(`${server.baseUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(existsSync(`${server.dataDir}/hotline.db`)).toBe(true);
  });

  it('serves the form in the language asked for, from the message catalogues copied to dist', async () => {
    const res = await fetch(`${server.baseUrl}/?lang=nl`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<html lang="nl"');
  });
});
