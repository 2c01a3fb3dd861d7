import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.ts';
import type { DatabaseHandle } from '../../src/db/client.ts';
import { deriveIntakeKeys, submitReport } from '../../src/intake/submit-report.ts';
import { createLogger } from '../../src/logger.ts';
import { createTriageWorker } from '../../src/triage/triage-worker.ts';
import { listTriagedItems, type TriagedItem } from '../../src/triage/triaged-items.ts';
import { testConfig } from '../support/config.ts';
import { createTestDatabase } from '../support/db.ts';
import { type LoopbackServer, startLoopbackServer } from '../support/loopback-server.ts';
import { syntheticImage } from '../support/synthetic-images.ts';

// The same picture reported at another address, with no bank knowing it: triage links the new
// medium to the earlier item's, by exact hash or by perceptual hash.

let server: LoopbackServer;
let handle: DatabaseHandle;
let config: Config;
const files = new Map<string, Buffer>();

beforeAll(async () => {
  files.set('/a.png', await syntheticImage(71));
  // Picture 71 again: scaled and re-encoded elsewhere (a different file), and copied byte for byte.
  files.set('/elsewhere/a-small.jpg', await syntheticImage(71, { format: 'jpeg', scale: 0.7, quality: 60 }));
  files.set('/mirror/a.png', files.get('/a.png') as Buffer);
  files.set('/other.png', await syntheticImage(72));
  files.set('/g.webp', await syntheticImage(73, { format: 'webp' }));
  files.set('/g-copy.jpg', await syntheticImage(73, { format: 'jpeg', scale: 0.8, quality: 75 }));
  server = await startLoopbackServer((req, res) => {
    const body = files.get(req.url ?? '');
    if (body) res.writeHead(200).end(body);
    else res.writeHead(404).end();
  });
  handle = createTestDatabase();
  config = testConfig({ HOTLINE_FETCH_ALLOW: server.pair });
});

afterAll(async () => {
  await server.close();
  handle.close();
});

function report(...paths: string[]): void {
  const deps = { db: handle.db, keys: deriveIntakeKeys(config.secretKey), now: Date.now, fetchAllow: [server.pair] };
  submitReport(deps, {
    urls: paths.map((p) => `${server.origin}${p}`),
    category: 'csam',
    siteType: 'website',
    mediaType: 'image',
  });
}

const itemAt = (path: string): TriagedItem | undefined =>
  listTriagedItems(handle.db, { limit: 100 }).find((item) => new URL(item.url).pathname === path);

describe('duplicates among triaged items', () => {
  it("links a new medium to an earlier item's medium showing the same picture", async () => {
    report('/a.png');
    const first = await createTriageWorker({ config, db: handle.db, logger: createLogger('silent'), now: Date.now });
    expect(await first.worker.drain()).toBe(1);
    await first.stop(0);
    const original = itemAt('/a.png')?.media[0];
    expect(original?.duplicateOf).toBeNull();

    // A new worker: what it knows of earlier media it read from the database at start.
    report('/elsewhere/a-small.jpg', '/mirror/a.png', '/other.png');
    const second = await createTriageWorker({ config, db: handle.db, logger: createLogger('silent'), now: Date.now });
    try {
      expect(await second.worker.drain()).toBe(3);
      const resized = itemAt('/elsewhere/a-small.jpg')?.media[0];
      expect(resized?.sha256).not.toBe(original?.sha256);
      expect(resized?.duplicateOf).toMatchObject({ mediaId: expect.any(Number), signal: 'pdq' });
      expect(resized?.duplicateOf?.distance).toBeLessThanOrEqual(config.matching.pdqThreshold);
      expect(resized?.duplicateOf?.mediaId).toBe(original?.id);
      const mirrored = itemAt('/mirror/a.png')?.media[0];
      expect(mirrored?.duplicateOf).toEqual({ mediaId: original?.id, signal: 'sha256', distance: 0 });
      expect(itemAt('/other.png')?.media[0]?.duplicateOf).toBeNull();

      // Media this worker stored itself are found too.
      report('/g.webp');
      expect(await second.worker.drain()).toBe(1);
      report('/g-copy.jpg');
      expect(await second.worker.drain()).toBe(1);
      expect(itemAt('/g-copy.jpg')?.media[0]?.duplicateOf).toMatchObject({
        mediaId: itemAt('/g.webp')?.media[0]?.id,
        signal: 'pdq',
      });
    } finally {
      await second.stop(0);
    }
  });
});
