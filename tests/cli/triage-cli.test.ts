import { createHash, randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { items } from '../../src/db/schema/intake.ts';
import { jobs } from '../../src/db/schema/jobs.ts';
import { itemMedia } from '../../src/db/schema/triage.ts';
import { deriveIntakeKeys, submitReport } from '../../src/intake/submit-report.ts';
import { createLogger } from '../../src/logger.ts';
import { createTriageWorker } from '../../src/triage/triage-worker.ts';
import { testConfig } from '../support/config.ts';
import { type LoopbackServer, startLoopbackServer } from '../support/loopback-server.ts';
import { syntheticImage } from '../support/synthetic-images.ts';
import { createWorkspace, spawnCli } from '../support/worker-process.ts';

// `hotline triage URL` and `hotline items`, run as an operator runs them.

/** These tests start real processes; on a loaded machine each start takes seconds. */
const processTestTimeout = 120_000;
let server: LoopbackServer;
let workspace: ReturnType<typeof createWorkspace>;
let image: Buffer;

beforeAll(async () => {
  image = await syntheticImage(7101, { format: 'jpeg' });
  server = await startLoopbackServer((req, res) => {
    if (req.url === '/a.jpg') res.writeHead(200).end(image);
    else if (req.url === '/page')
      res.writeHead(200).end('<!doctype html><html><body><img src="/a.jpg"><img src="/gone.png"></body></html>');
    else res.writeHead(404).end();
  });
  workspace = createWorkspace('hotline-cli-triage-');
});

afterAll(async () => {
  await server.close();
  rmSync(workspace.dir, { recursive: true, force: true });
});

const run = async (args: string[], env: Record<string, string> = {}) => {
  const cli = spawnCli(args, { HOTLINE_DB: workspace.dbPath, HOTLINE_FETCH_ALLOW: server.pair, ...env });
  const { code } = await cli.exited;
  return {
    code,
    lines: cli
      .stdout()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>),
    stderr: cli.stderr(),
  };
};

const counts = () => {
  const handle = workspace.open();
  try {
    return [items, jobs, itemMedia].map((table) => handle.db.select().from(table).all().length);
  } finally {
    handle.close();
  }
};

describe('hotline triage', () => {
  it('prints signals, matches and hosting of a page and its media, and stores nothing', {
    timeout: processTestTimeout,
  }, async () => {
    const { code, lines } = await run(['triage', `${server.origin}/page`]);
    expect(code).toBe(0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      url: `${server.origin}/page`,
      finalUrl: `${server.origin}/page`,
      httpStatus: 200,
      hosting: { kind: 'ip', ip: '127.0.0.1', country: null, asn: null, org: null },
      media: [
        {
          url: `${server.origin}/a.jpg`,
          mediaType: 'image/jpeg',
          sha256: createHash('sha256').update(image).digest('hex'),
          blockhash: expect.stringMatching(/^[0-9a-f]{64}$/),
          pdq: expect.stringMatching(/^[0-9a-f]{64}$/),
          matches: [],
        },
      ],
      skipped: [{ url: `${server.origin}/gone.png`, reason: 'http_status' }],
      error: null,
    });
    expect(counts()).toEqual([0, 0, 0]);
  });

  it('prints the reason when the address is unreachable, and refuses what is not an address', {
    timeout: processTestTimeout,
  }, async () => {
    const gone = await run(['triage', `${server.origin}/gone`]);
    expect(gone.code).toBe(0);
    expect(gone.lines[0]).toMatchObject({ error: 'http_status', httpStatus: 404, media: [] });
    expect((await run(['triage', 'not a url'])).code).toBe(1);
    const ftp = await run(['triage', 'ftp://127.0.0.1/x']);
    expect(ftp).toMatchObject({ code: 1, lines: [{ error: 'unsupported_scheme' }] });
  });

  it('canonicalises the address first, as intake does: no scheme needed', { timeout: processTestTimeout }, async () => {
    const { code, lines } = await run(['triage', `${server.pair}/a.jpg`]);
    expect(code).toBe(0);
    expect(lines[0]).toMatchObject({
      url: `${server.origin}/a.jpg`,
      media: [{ sha256: createHash('sha256').update(image).digest('hex') }],
    });
  });

  it('refuses a local or private address as bad input, without a request', {
    timeout: processTestTimeout,
  }, async () => {
    const requests = server.requests.length;
    for (const address of [`http://localhost:${server.port}/a.jpg`, 'http://10.0.0.1/', '192.168.1.1']) {
      const refused = await run(['triage', address]);
      expect(refused).toMatchObject({ code: 1, lines: [{ url: address, error: 'blocked_address' }] });
    }
    expect(server.requests.length).toBe(requests);
  });
});

describe('hotline worker', () => {
  it('--once with fetching off says so on stderr', { timeout: processTestTimeout }, async () => {
    const off = await run(['worker', '--once'], { HOTLINE_FETCH: 'off' });
    expect(off).toMatchObject({ code: 0, lines: [{ triage: 0, housekeeping: expect.any(Number) }] });
    // Fetching off: no re-check worker (it fetches), but triage and housekeeping run as in `npm start`.
    expect(off.lines[0]).not.toHaveProperty('recheck');
    expect(off.stderr).toContain('HOTLINE_FETCH=off');
  });
});

describe('hotline items', () => {
  it('prints one line per item with state, priority and signals, filtered by state', {
    timeout: processTestTimeout,
  }, async () => {
    const handle = workspace.open();
    try {
      const config = testConfig({ HOTLINE_FETCH_ALLOW: server.pair });
      const deps = { db: handle.db, keys: deriveIntakeKeys(randomBytes(32)), now: Date.now, fetchAllow: [server.pair] };
      submitReport(deps, {
        urls: [`${server.origin}/a.jpg`, `${server.origin}/gone`],
        category: 'csam',
        siteType: 'website',
        mediaType: 'image',
      });
      const running = await createTriageWorker({
        config,
        db: handle.db,
        logger: createLogger('silent'),
        now: Date.now,
      });
      await running.worker.drain();
      await running.stop(0);
    } finally {
      handle.close();
    }
    const all = await run(['items']);
    expect(all.code).toBe(0);
    expect(all.lines.map((l) => l.state).sort()).toEqual(['ready', 'unreachable']);
    const ready = await run(['items', '--state', 'ready']);
    expect(ready.lines).toHaveLength(1);
    expect(ready.lines[0]).toMatchObject({
      url: `${server.origin}/a.jpg`,
      state: 'ready',
      priority: expect.any(Number),
      priorityReasons: [{ code: 'category', detail: 'csam' }],
      media: [{ mediaType: 'image/jpeg', sha256: createHash('sha256').update(image).digest('hex'), matches: [] }],
    });
    expect((await run(['items', '--state', 'nonsense'])).code).toBe(1);
  });
});
