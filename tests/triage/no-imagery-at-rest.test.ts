import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemMedia } from '../../src/db/schema/triage.ts';
import { deriveIntakeKeys, submitReport } from '../../src/intake/submit-report.ts';
import { listTriagedItems } from '../../src/triage/triaged-items.ts';
import { filesHoldingImagery, hashInChild, largeWebp, watchDirectories } from '../support/imagery-at-rest.ts';
import { type LoopbackServer, startLoopbackServer } from '../support/loopback-server.ts';
import { type SyntheticFormat, syntheticImage } from '../support/synthetic-images.ts';
import { createWorkspace, spawnCli } from '../support/worker-process.ts';

// Zero imagery at rest, end to end: a worker process triages dozens of images, served directly
// and through pages, and a large one (which libvips, left to its defaults, would decode through a
// temporary file). Its data and temp directories are watched while it runs and scanned after,
// with the system temp directory; positive controls show the same checks do catch imagery.

const formats: SyntheticFormat[] = ['png', 'jpeg', 'webp', 'gif'];
const directCount = 32;
const pageCount = 4;
const perPage = 6;
/** What the worker may write in its data directory: the database, its journals, its key. */
// The database and the key files beside it (src/key-files.ts: secret key, export signing key).
// The worker's pid file (its pid, for `restore` and `key rotate`) beside them.
const databaseFiles = /^hotline\.db(-wal|-shm|-journal|\.key|\.export-ed25519\.pem|\.worker\.pid)?$/;

/** These tests start real processes; on a loaded machine each start takes seconds. */
const processTestTimeout = 180_000;
let server: LoopbackServer;
let workspace: ReturnType<typeof createWorkspace>;
let started: number;
const images = new Map<string, Buffer>();

/** A distinctive stretch from inside each image: finding it means the image was written out. */
const probes = () =>
  [...images.values()].map((bytes) =>
    bytes.subarray(Math.floor(bytes.length / 2) - 16, Math.floor(bytes.length / 2) + 16),
  );

beforeAll(async () => {
  started = Date.now();
  for (let i = 0; i < directCount + pageCount * perPage; i++) {
    images.set(
      `/img/${i}.${formats[i % formats.length]}`,
      await syntheticImage(8100 + i, { format: formats[i % formats.length] }),
    );
  }
  images.set('/img/large.webp', await largeWebp());
  const paths = [...images.keys()];
  const direct = [...paths.slice(0, directCount), '/img/large.webp'];
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
  const urls = [...direct, ...Array.from({ length: pageCount }, (_, i) => `/page/${i}`)].map(
    (p) => `${server.origin}${p}`,
  );
  for (let i = 0; i < urls.length; i += 10) {
    submitReport(deps, { urls: urls.slice(i, i + 10), category: 'csam', siteType: 'website', mediaType: 'image' });
  }
  handle.close();
}, processTestTimeout);

afterAll(async () => {
  await server.close();
  rmSync(workspace.dir, { recursive: true, force: true });
});

describe('zero imagery at rest', () => {
  it('a worker run over dozens of images, pages and a large image leaves no image bytes in any file', {
    timeout: processTestTimeout,
  }, async () => {
    const watch = watchDirectories([workspace.dataDir, workspace.tmpDir]);
    const worker = spawnCli(['worker', '--once'], {
      HOTLINE_DB: workspace.dbPath,
      HOTLINE_FETCH_ALLOW: server.pair,
      TMPDIR: workspace.tmpDir,
      HOTLINE_LOG_LEVEL: 'debug',
    });
    const exited = await worker.exited;
    watch.close();
    expect(exited).toEqual({ code: 0, signal: null });
    expect(JSON.parse(worker.stdout())).toMatchObject({ triage: directCount + 1 + pageCount });

    // The run did hash every image (so the checks below look for something that passed through).
    const handle = workspace.open();
    try {
      const triaged = listTriagedItems(handle.db, { limit: 1000 });
      expect(triaged.every((item) => item.state === 'ready')).toBe(true);
      expect(handle.db.select().from(itemMedia).all()).toHaveLength(images.size);
      const large = triaged.find((item) => item.url.endsWith('/img/large.webp'));
      expect(large?.media[0]).toMatchObject({ width: 6000, height: 6000, refusal: null });
    } finally {
      handle.close();
    }

    // Not even briefly: no file but the database's appeared while the worker ran.
    expect(watch.events.filter((name) => !databaseFiles.test(name))).toEqual([]);
    expect(await filesHoldingImagery(workspace.dir, probes())).toEqual([]);
    const elsewhere = await filesHoldingImagery(tmpdir(), probes(), started);
    expect(elsewhere.filter((file) => !file.startsWith(workspace.dir))).toEqual([]);
    // Nor in what the worker logged.
    const log = worker.stderr();
    expect(log.length).toBeGreaterThan(0);
    expect(probes().some((probe) => Buffer.from(log).includes(probe))).toBe(false);
    expect(log).not.toContain('/img/');
  });

  // Positive controls: the same watch and scan do catch imagery when there is some.
  it('would see the temporary file libvips writes for the large image without our decoder policy', {
    timeout: processTestTimeout,
  }, async () => {
    const dirs = { tmp: join(workspace.dir, 'control', 'tmp'), data: join(workspace.dir, 'control', 'data') };
    for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
    const watch = watchDirectories(Object.values(dirs));
    const run = await hashInChild([images.get('/img/large.webp') as Buffer], dirs, 'plain-sharp');
    watch.close();
    expect(run.code).toBe(0);
    expect(watch.events.some((file) => file.endsWith('.v'))).toBe(true);
  });

  it('would find an image or a piece of one written into the data directory', async () => {
    const dir = join(workspace.dir, 'control-scan');
    mkdirSync(dir);
    writeFileSync(join(dir, 'leaked.png'), images.get('/img/0.png') as Buffer);
    const piece = probes()[5] as Buffer;
    writeFileSync(join(dir, 'piece.bin'), Buffer.concat([Buffer.alloc(100), piece]));
    const found = await filesHoldingImagery(dir, probes());
    expect(found.map((file) => file.slice(dir.length + 1)).sort()).toEqual(['leaked.png', 'piece.bin']);
  });
});
