import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStale, isStale } from '../../scripts/build-if-stale.ts';
import { computeSignals, DEFAULT_SIGNAL_LIMITS } from '../../src/signals/compute-signals.ts';
import { type LoopbackServer, startLoopbackServer } from '../support/loopback-server.ts';
import { fromBuild, type RunningServer, startRealServer } from '../support/server.ts';
import { syntheticImage } from '../support/synthetic-images.ts';

// What `npm start` does: build what is stale, then run the compiled JavaScript with node alone.
const root = fileURLToPath(new URL('../..', import.meta.url));
let server: RunningServer;
let site: LoopbackServer;
/** Photo-like (shapes with edges over a gradient, light noise), lossless: its hashes are meaningful. */
let picture: Buffer;

beforeAll(async () => {
  expect(buildStale(root)).toBe(true);
  picture = await syntheticImage(11, { width: 320, height: 240 });
  site = await startLoopbackServer(
    (_req, res) => void res.writeHead(200, { 'Content-Type': 'image/png' }).end(picture),
  );
  server = await startRealServer(
    { NODE_ENV: 'test', HOTLINE_FETCH: 'on', HOTLINE_FETCH_ALLOW: site.pair, HOTLINE_TRIAGE_DELAY: 'off' },
    fromBuild,
  );
}, 240_000);
afterAll(async () => {
  await server?.stop();
  await site?.close();
});

interface MediaRow {
  pdq: string | null;
  blockhash: string | null;
  refusal: string | null;
}

/** The item's media once triage has written them (the server's worker fills them in). */
async function triagedMedia(): Promise<MediaRow[]> {
  const db = new Database(join(server.dataDir, 'hotline.db'), { readonly: true, fileMustExist: true });
  try {
    for (let attempt = 0; attempt < 300; attempt++) {
      const media = db.prepare('SELECT pdq, blockhash, refusal FROM item_media').all() as MediaRow[];
      if (media.length > 0) return media;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`triage wrote no media: ${server.output()}`);
  } finally {
    db.close();
  }
}

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

  it('triages an image with the signals pool of compiled worker threads', async () => {
    const res = await fetch(`${server.baseUrl}/api/v1/reports`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        urls: [`${site.origin}/picture.png`],
        category: 'csam',
        siteType: 'website',
        mediaType: 'image',
      }),
    });
    expect(res.status).toBe(201);
    const expected = await computeSignals(Buffer.from(picture), DEFAULT_SIGNAL_LIMITS);
    expect(await triagedMedia()).toEqual([{ pdq: expected.pdq, blockhash: expected.blockhash, refusal: null }]);
    expect(server.output()).not.toContain('signals worker');
  }, 60_000);
});
