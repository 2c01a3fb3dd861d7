import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemMedia } from '../../src/db/schema/triage.ts';
import { deriveIntakeKeys, submitReport } from '../../src/intake/submit-report.ts';
import { listTriagedItems } from '../../src/triage/triaged-items.ts';
import { type LoopbackServer, startLoopbackServer } from '../support/loopback-server.ts';
import { imageMagic, type SyntheticFormat, syntheticImage } from '../support/synthetic-images.ts';
import { createWorkspace, spawnCli } from './worker-process.ts';

// Zero imagery at rest: a worker process triages dozens of images, then every file it could have
// written to (the data directory, its temp directory, the system temp directory) is searched for
// the images' bytes.

const formats: SyntheticFormat[] = ['png', 'jpeg', 'webp', 'gif'];
const directCount = 32;
const pageCount = 4;
const perPage = 6;
/** Files above this size in the shared temp directory are not ours (and would make the scan slow). */
const maxScannedBytes = 64 * 1024 * 1024;

/** These tests start real processes; on a loaded machine each start takes seconds. */
const processTestTimeout = 120_000;
let server: LoopbackServer;
let workspace: ReturnType<typeof createWorkspace>;
const images = new Map<string, Buffer>();

function filesUnder(dir: string): string[] {
  const found: string[] = [];
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...filesUnder(path));
    else if (entry.isFile()) found.push(path);
  }
  return found;
}

function readIfSmall(path: string): Buffer | null {
  try {
    return statSync(path).size <= maxScannedBytes ? readFileSync(path) : null;
  } catch {
    return null; // vanished or unreadable: another process's file
  }
}

/** A distinctive stretch from inside each image: finding it means the image was written out. */
const fingerprints = () =>
  [...images.values()].map((bytes) =>
    bytes.subarray(Math.floor(bytes.length / 2) - 16, Math.floor(bytes.length / 2) + 16),
  );

beforeAll(async () => {
  for (let i = 0; i < directCount + pageCount * perPage; i++) {
    images.set(
      `/img/${i}.${formats[i % formats.length]}`,
      await syntheticImage(8100 + i, { format: formats[i % formats.length] }),
    );
  }
  const paths = [...images.keys()];
  server = await startLoopbackServer((req, res) => {
    const page = /^\/page\/(\d+)$/.exec(req.url ?? '');
    if (page) {
      const first = directCount + Number(page[1]) * perPage;
      const tags = paths.slice(first, first + perPage).map((p) => `<img src="${p}">`);
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(`<!doctype html><html><body>${tags.join('')}</body></html>`);
      return;
    }
    const body = images.get(req.url ?? '');
    if (body) res.writeHead(200).end(body);
    else res.writeHead(404).end();
  });
  workspace = createWorkspace('hotline-at-rest-');
  const handle = workspace.open();
  const deps = { db: handle.db, keys: deriveIntakeKeys(randomBytes(32)), now: Date.now, fetchAllow: [server.pair] };
  const urls = [...paths.slice(0, directCount), ...Array.from({ length: pageCount }, (_, i) => `/page/${i}`)].map(
    (p) => `${server.origin}${p}`,
  );
  for (let i = 0; i < urls.length; i += 10) {
    submitReport(deps, { urls: urls.slice(i, i + 10), category: 'csam', siteType: 'website', mediaType: 'image' });
  }
  handle.close();
});

afterAll(async () => {
  await server.close();
  rmSync(workspace.dir, { recursive: true, force: true });
});

describe('zero imagery at rest', () => {
  it('a worker run over dozens of images leaves no image bytes in any file', {
    timeout: processTestTimeout,
  }, async () => {
    const worker = spawnCli(['worker', '--once'], {
      HOTLINE_DB: workspace.dbPath,
      HOTLINE_FETCH_ALLOW: server.pair,
      TMPDIR: workspace.tmpDir,
      HOTLINE_LOG_LEVEL: 'debug',
    });
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(JSON.parse(worker.stdout())).toEqual({ jobs: directCount + pageCount });

    // The run did hash every image (so the scan below is looking for something that passed through).
    const handle = workspace.open();
    try {
      const triaged = listTriagedItems(handle.db, { limit: 1000 });
      expect(triaged.every((item) => item.state === 'ready')).toBe(true);
      expect(handle.db.select().from(itemMedia).all()).toHaveLength(images.size);
    } finally {
      handle.close();
    }

    const ours = [...filesUnder(workspace.dataDir), ...filesUnder(workspace.tmpDir)];
    expect(ours.some((path) => path.endsWith('hotline.db'))).toBe(true);
    const everywhere = [...new Set([...ours, ...filesUnder(tmpdir())])];
    const leaks: string[] = [];
    for (const path of everywhere) {
      const bytes = readIfSmall(path);
      if (!bytes) continue;
      if (fingerprints().some((print) => bytes.includes(print))) leaks.push(`${path}: test image bytes`);
      if (ours.includes(path)) {
        for (const magic of imageMagic) if (bytes.includes(magic.bytes)) leaks.push(`${path}: ${magic.type} signature`);
      }
    }
    expect(leaks).toEqual([]);
    // Nor in what the worker logged.
    const log = worker.stderr();
    expect(log.length).toBeGreaterThan(0);
    expect(fingerprints().some((print) => Buffer.from(log).includes(print))).toBe(false);
    expect(log).not.toContain('/img/');
  });
});
