import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DatabaseHandle } from '../../src/db/client.ts';
import { items } from '../../src/db/schema/intake.ts';
import { jobs } from '../../src/db/schema/jobs.ts';
import { itemMedia } from '../../src/db/schema/triage.ts';
import { deriveIntakeKeys, submitReport } from '../../src/intake/submit-report.ts';
import { backoffMs } from '../../src/jobs/queue.ts';
import { createLogger } from '../../src/logger.ts';
import { triageJobType } from '../../src/triage/triage-job.ts';
import { createTriageWorker } from '../../src/triage/triage-worker.ts';
import { testConfig } from '../support/config.ts';
import { type LoopbackServer, startLoopbackServer } from '../support/loopback-server.ts';
import { syntheticImage } from '../support/synthetic-images.ts';
import { createWorkspace, spawnCli } from '../support/worker-process.ts';

// A real worker process, killed or stopped while a job is in flight: the job table must carry
// the work across, and the result must be stored exactly once.

/** These tests start real processes; on a loaded machine each start takes seconds. */
const processTestTimeout = 120_000;
let server: LoopbackServer;
let image: Buffer;
/** Requests for /slow.png are held here until the test answers them. */
let held: ServerResponse[];
let workspace: ReturnType<typeof createWorkspace>;
let handle: DatabaseHandle;

beforeEach(async () => {
  image = await syntheticImage(7001);
  held = [];
  server = await startLoopbackServer((req, res) => {
    if (req.url?.startsWith('/slow')) held.push(res);
    else res.writeHead(404).end();
  });
  workspace = createWorkspace('hotline-durability-');
  handle = workspace.open();
});

afterEach(async () => {
  handle.close();
  await server.close();
  rmSync(workspace.dir, { recursive: true, force: true });
});

const answer = (res: ServerResponse | undefined) => res?.writeHead(200).end(image);
const env = () => ({
  HOTLINE_DB: workspace.dbPath,
  HOTLINE_FETCH_ALLOW: server.pair,
  HOTLINE_WORKER_CONCURRENCY: '1',
  TMPDIR: workspace.tmpDir,
});
// Triage's jobs: the worker process also schedules the housekeeping and re-check chores.
const jobRows = () => handle.db.select().from(jobs).where(eq(jobs.type, triageJobType)).orderBy(jobs.id).all();

function report(...paths: string[]): void {
  const deps = { db: handle.db, keys: deriveIntakeKeys(randomBytes(32)), now: Date.now, fetchAllow: [server.pair] };
  submitReport(deps, {
    urls: paths.map((p) => `${server.origin}${p}`),
    category: 'csam',
    siteType: 'website',
    mediaType: 'image',
  });
}

describe('a worker process', () => {
  it('killed mid-job leaves the job to be reclaimed; after restart it completes exactly once', {
    timeout: processTestTimeout,
  }, async () => {
    report('/slow.png');
    const worker = spawnCli(['worker'], env());
    await vi.waitFor(() => expect(held).toHaveLength(1), { timeout: 20_000, interval: 20 });
    expect(jobRows()[0]).toMatchObject({ status: 'running', attempts: 1 });
    expect(handle.db.select().from(items).get()?.state).toBe('fetching');

    worker.child.kill('SIGKILL');
    expect(await worker.exited).toEqual({ code: null, signal: 'SIGKILL' });
    held[0]?.destroy();
    const [abandoned] = jobRows();
    expect(abandoned).toMatchObject({ status: 'running', lastError: null });

    // Restart, with the clock past the dead worker's lock.
    let now = (abandoned?.lockedUntil ?? 0) + 1;
    const config = testConfig({ HOTLINE_FETCH_ALLOW: server.pair, HOTLINE_WORKER_CONCURRENCY: '1' });
    const restarted = await createTriageWorker({
      config,
      db: handle.db,
      logger: createLogger('silent'),
      now: () => now,
    });
    try {
      expect(await restarted.worker.drain()).toBe(0);
      expect(jobRows()[0]).toMatchObject({ status: 'pending', lastError: 'lock_expired' });
      expect(handle.db.select().from(items).get()).toMatchObject({ state: 'new', stateReason: 'lock_expired' });
      now += backoffMs(1);
      const drained = restarted.worker.drain();
      await vi.waitFor(() => expect(held).toHaveLength(2), { timeout: 10_000, interval: 10 });
      answer(held[1]);
      expect(await drained).toBe(1);
      expect(await restarted.worker.drain()).toBe(0);
    } finally {
      await restarted.stop(0);
    }
    expect(jobRows()).toMatchObject([{ status: 'done', attempts: 2, lockedBy: null }]);
    expect(handle.db.select().from(items).get()).toMatchObject({ state: 'ready', httpStatus: 200 });
    expect(handle.db.select().from(itemMedia).all()).toHaveLength(1);
    expect(server.requests.filter((p) => p === '/slow.png')).toHaveLength(2);
  });

  it('on SIGTERM stops claiming and lets the running job finish', { timeout: processTestTimeout }, async () => {
    report('/slow-1.png', '/slow-2.png');
    const worker = spawnCli(['worker'], env());
    await vi.waitFor(() => expect(held).toHaveLength(1), { timeout: 20_000, interval: 20 });
    worker.child.kill('SIGTERM');
    await vi.waitFor(() => expect(worker.stderr()).toContain('SIGTERM: stopping'), { timeout: 10_000, interval: 10 });
    answer(held[0]);
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(jobRows().map((j) => j.status)).toEqual(['done', 'pending']);
    expect(jobRows()[1]).toMatchObject({ attempts: 0, lockedBy: null });
    expect(held).toHaveLength(1);
    expect(handle.db.select().from(itemMedia).all()).toHaveLength(1);
  });
});
