import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.ts';
import type { DatabaseHandle } from '../../src/db/client.ts';
import { deriveIntakeKeys, submitReport } from '../../src/intake/submit-report.ts';
import { createLogger } from '../../src/logger.ts';
import { EarlierMedia } from '../../src/matching/earlier-media.ts';
import type { Signals } from '../../src/signals/compute-signals.ts';
import { noPerceptualSignals } from '../../src/signals/compute-signals.ts';
import { createTriageWorker } from '../../src/triage/triage-worker.ts';
import { listTriagedItems, type TriagedItem } from '../../src/triage/triaged-items.ts';
import { testConfig } from '../support/config.ts';
import { createTestDatabase, row } from '../support/db.ts';
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
      expect(resized?.duplicateOf?.distance).toBeLessThanOrEqual(config.matching.thresholds.pdq);
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

describe('EarlierMedia lookups', () => {
  const hex = (digit: string) => digit.repeat(64);
  /** `base` with some of the bits of hex digit `at` flipped: 1 to 4 bits from it. */
  const near = (base: string, at: number, flip: number) => {
    const digit = (Number.parseInt(base.charAt(at), 16) ^ flip).toString(16);
    return base.slice(0, at) + digit + base.slice(at + 1);
  };
  const pattern = '0123456789abcdef'.repeat(4);

  function itemsFor(...paths: string[]): number[] {
    report(...paths);
    return paths.map((p) => row(handle, 'select id from items where url = ?', `${server.origin}${p}`).id as number);
  }

  function storeMedia(
    itemId: number,
    media: { blockhash: string | null; pdq: string | null; pdqQuality: number | null }[],
  ) {
    const insert = handle.sqlite.prepare(
      `insert into item_media (item_id, position, url, media_type, size, sha256, sha1, md5, blockhash, pdq, pdq_quality, fetched_at)
       values (?, ?, 'http://127.0.0.1/m.png', 'image/png', 1, ?, ?, ?, ?, ?, ?, 0)`,
    );
    handle.sqlite.transaction(() => {
      media.forEach((m, i) => {
        const unique = `${itemId}-${i}`;
        insert.run(itemId, i, `s256-${unique}`, `s1-${unique}`, `md5-${unique}`, m.blockhash, m.pdq, m.pdqQuality);
      });
    })();
  }

  const signalsOf = (s: Partial<Signals>): Signals => ({
    sha256: 'new-sha256',
    sha1: 'new-sha1',
    md5: 'new-md5',

    mediaType: 'image/png',
    ...noPerceptualSignals,
    width: 10,
    height: 10,
    ...s,
  });

  it('finds the nearest of tens of thousands of candidates, beyond SQLite’s bound on query variables', () => {
    const [earlier, later] = itemsFor('/many-earlier.png', '/many-later.png') as [number, number];
    const media = Array.from({ length: 33_000 }, (_, i) => ({
      blockhash: near(pattern, i % 64, 1 + (i % 15)),
      pdq: null,
      pdqQuality: null,
    }));
    media.push({ blockhash: pattern, pdq: null, pdqQuality: null });
    storeMedia(earlier as number, media);
    const exactId = row(handle, 'select max(id) as id from item_media where item_id = ?', earlier).id as number;
    const earlierMedia = new EarlierMedia(config.matching);
    earlierMedia.refresh(handle.db);
    const found = earlierMedia.find(handle.db, later as number, signalsOf({ blockhash: pattern }), {
      ...config.matching.thresholds,
      blockhash: 16,
    });
    expect(found).toEqual({ mediaId: exactId, signal: 'blockhash', distance: 0 });
  });

  it('looks as far as the distances it is given (the settings in force), no further', () => {
    const [earlier, later] = itemsFor('/reach-earlier.png', '/reach-later.png') as [number, number];
    // Far from the other tests' media; digit 0 flipped by 0b1111: four bits from it.
    const own = 'fedcba9876543210'.repeat(4);
    storeMedia(earlier, [{ blockhash: near(own, 0, 15), pdq: null, pdqQuality: null }]);
    const earlierMedia = new EarlierMedia(config.matching);
    earlierMedia.refresh(handle.db);
    const incoming = signalsOf({ blockhash: own });
    const within = (blockhash: number) =>
      earlierMedia.find(handle.db, later, incoming, { ...config.matching.thresholds, blockhash });
    expect(within(3)).toBeNull();
    expect(within(4)).toMatchObject({ signal: 'blockhash', distance: 4 });
  });

  it('does not take flat images (one-valued blockhash, low-quality PDQ) for the same picture', () => {
    const [earlier, later] = itemsFor('/flat-earlier.png', '/flat-later.png') as [number, number];
    const flatPdq = hex('0');
    const lowQuality = config.matching.pdqMinQuality - 1;
    storeMedia(earlier, [
      { blockhash: hex('0'), pdq: flatPdq, pdqQuality: lowQuality },
      { blockhash: hex('f'), pdq: flatPdq, pdqQuality: 0 },
    ]);
    const earlierMedia = new EarlierMedia(config.matching);
    earlierMedia.refresh(handle.db);
    for (const blockhash of [hex('0'), hex('f')]) {
      const flat = signalsOf({ blockhash, pdq: flatPdq, pdqQuality: lowQuality });
      expect(earlierMedia.find(handle.db, later, flat, config.matching.thresholds)).toBeNull();
    }
    // The same hashes from a detailed image do look among the indexed ones: none was indexed.
    const detailed = signalsOf({ blockhash: hex('0'), pdq: flatPdq, pdqQuality: 100 });
    expect(earlierMedia.find(handle.db, later, detailed, config.matching.thresholds)).toBeNull();
  });
});
