import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { createBackgroundWork } from '../../src/background-work.ts';
import { writeTransaction } from '../../src/db/client.ts';
import { enqueueJob } from '../../src/jobs/queue.ts';
import { loadSigningKey } from '../../src/key-files.ts';
import { createLogger } from '../../src/logger.ts';
import { quantile } from '../../src/metrics/collect.ts';
import { staleHeartbeatMs } from '../../src/metrics/routes.ts';
import { purgeJobType } from '../../src/retention/purge-job.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { addUser, sessionFor } from '../support/auth.ts';

const token = 'm'.repeat(40);
const minute = 60_000;

async function seed(t: TestApp) {
  for (const url of ['https://secret-host.example/path-one', 'https://other.example/two']) {
    await request(t.app)
      .post('/api/v1/reports')
      .send({ urls: [url], category: 'other', siteType: 'chat', mediaType: 'text', description: 'private words' })
      .expect(201);
  }
  const sqlite = t.database.sqlite;
  const now = t.clock.now();
  sqlite
    .prepare("update items set state = 'unreachable', state_reason = 'dns', fetched_at = ? where url like '%other%'")
    .run(now);
  // A reason that is not a stable id (it quotes an address) must never reach a label.
  sqlite
    .prepare(
      "update items set state = 'failed', state_reason = 'https://secret-host.example/x', fetched_at = ? where url like '%secret%'",
    )
    .run(now);
  sqlite
    .prepare("update jobs set status = 'failed', last_error = 'timeout' where id = (select min(id) from jobs)")
    .run();
  sqlite
    .prepare("update jobs set status = 'done', updated_at = available_at + 42000 where id = (select max(id) from jobs)")
    .run();
  await request(t.app).post('/api/v1/session').send({ username: 'nobody', password: 'wrong-password', totp: '000000' });
}

describe('/metrics', () => {
  it('is closed without a token or an admin session', async () => {
    const t = createTestApp({ env: { HOTLINE_METRICS_TOKEN: token } });
    await request(t.app).get('/metrics').expect(401);
    await request(t.app)
      .get('/metrics')
      .set('Authorization', `Bearer ${'x'.repeat(40)}`)
      .expect(401);
    const analyst = sessionFor(t, await addUser(t, 'analyst'));
    await request(t.app).get('/metrics').set('Cookie', analyst.cookie).expect(403);
    const supervisor = sessionFor(t, await addUser(t, 'supervisor'));
    await request(t.app).get('/metrics').set('Cookie', supervisor.cookie).expect(403);
    const admin = sessionFor(t, await addUser(t, 'admin'));
    await request(t.app).get('/metrics').set('Cookie', admin.cookie).expect(200);
    await request(t.app).get('/metrics').set('Authorization', `Bearer ${token}`).expect(200);
  });

  it('stays closed to any bearer when no token is configured', async () => {
    const t = createTestApp();
    await request(t.app).get('/metrics').set('Authorization', 'Bearer ').expect(401);
    await request(t.app).get('/metrics').set('Authorization', `Bearer ${token}`).expect(401);
  });

  it('shows reports, queue depths, outcomes, failures, durations and sign-in failures, and nothing personal', async () => {
    const t = createTestApp({ env: { HOTLINE_METRICS_TOKEN: token } });
    await seed(t);
    const res = await request(t.app).get('/metrics').set('Authorization', `Bearer ${token}`).expect(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const text = res.text;
    expect(text).toContain('hotline_reports_received_total 2');
    expect(text).toContain('hotline_items{state="unreachable"} 1');
    expect(text).toContain('hotline_items{state="failed"} 1');
    expect(text).toContain('hotline_fetch_outcomes{state="unreachable",reason="dns"} 1');
    expect(text).toContain('hotline_fetch_outcomes{state="failed",reason="other"} 1');
    expect(text).toContain('hotline_jobs_with_error{type="triage",reason="timeout"} 1');
    expect(text).toContain('# TYPE hotline_jobs_with_error gauge');
    expect(text).toMatch(/hotline_jobs\{type="triage",status="done"\} 1/);
    expect(text).toContain('hotline_triage_last_day_duration_seconds{quantile="0.5"} 42');
    expect(text).toContain('hotline_triage_last_day_duration_seconds{quantile="1"} 42');
    expect(text).toContain('hotline_triage_last_day_finished 1');
    expect(text).not.toMatch(/_bucket|hotline_job_failures/);
    expect(text).toContain('hotline_sign_in_failures_total 1');
    for (const secret of ['secret-host', 'other.example', 'private words', 'nobody', 'http']) {
      expect(text).not.toContain(secret);
    }
  });
});

describe('/healthz', () => {
  it('says where the worker is and how long the oldest due job has waited', async () => {
    const t = createTestApp();
    await request(t.app).get('/healthz').expect(200, { status: 'ok', worker: 'elsewhere', oldestDueJobSeconds: 0 });
    await request(t.app)
      .post('/api/v1/reports')
      .send({ urls: ['https://a.example/'], category: 'other', siteType: 'chat', mediaType: 'text' })
      .expect(201);
    // Triage waits for the end of the minute plus a random delay under one more.
    t.clock.advance(2 * minute + 10 * minute);
    const waiting = await request(t.app).get('/healthz').expect(200);
    expect(waiting.body.status).toBe('ok');
    expect(waiting.body.oldestDueJobSeconds).toBeGreaterThanOrEqual(600);
    expect(waiting.body.oldestDueJobSeconds).toBeLessThanOrEqual(720);
    t.clock.advance(10 * minute);
    expect((await request(t.app).get('/healthz')).body.status).toBe('degraded');
  });

  it('leaves out the triage jobs no worker takes with HOTLINE_FETCH=off, and counts the others', async () => {
    const t = createTestApp({ env: { HOTLINE_FETCH: 'off' } });
    await request(t.app)
      .post('/api/v1/reports')
      .send({ urls: ['https://a.example/'], category: 'other', siteType: 'chat', mediaType: 'text' })
      .expect(201);
    t.clock.advance(60 * minute);
    await request(t.app).get('/healthz').expect(200, { status: 'ok', worker: 'elsewhere', oldestDueJobSeconds: 0 });
    writeTransaction(t.database.db, (tx) =>
      enqueueJob(tx, { type: purgeJobType, payload: {}, idempotencyKey: 'purge:test', now: t.clock.now() }),
    );
    t.clock.advance(20 * minute);
    const late = await request(t.app).get('/healthz').expect(200);
    expect(late.body).toEqual({ status: 'degraded', worker: 'elsewhere', oldestDueJobSeconds: 20 * 60 });
  });

  it("reads this process's worker from its heartbeat: stopped when it never ran, stopped or went quiet", async () => {
    const t = createTestApp();
    let heartbeat: number | null = null;
    const app = createApp({
      config: t.config,
      db: t.database.db,
      logger: createLogger('silent'),
      now: t.clock.now,
      workerHeartbeat: () => heartbeat,
      signingKey: loadSigningKey(':memory:'),
    });
    await request(app).get('/healthz').expect(200, { status: 'degraded', worker: 'stopped', oldestDueJobSeconds: 0 });
    heartbeat = t.clock.now();
    t.clock.advance(staleHeartbeatMs);
    await request(app).get('/healthz').expect(200, { status: 'ok', worker: 'running', oldestDueJobSeconds: 0 });
    t.clock.advance(1);
    await request(app).get('/healthz').expect(200, { status: 'degraded', worker: 'stopped', oldestDueJobSeconds: 0 });
  });

  it("is the background work's polling loop: set when each worker's loop runs, cleared when they stop", async () => {
    const t = createTestApp({ env: { HOTLINE_FETCH: 'off' } });
    const work = await createBackgroundWork({
      config: t.config,
      db: t.database.db,
      logger: createLogger('silent'),
      now: t.clock.now,
      signingKey: loadSigningKey(':memory:'),
    });
    try {
      expect(work.lastRan()).toBeNull();
      work.start();
      while (work.lastRan() === null) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(work.lastRan()).toBe(t.clock.now());
    } finally {
      await work.stop(0);
    }
    expect(work.lastRan()).toBeNull();
  });
});

describe('quantile', () => {
  it('is the nearest rank of the sorted values', () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect([0.5, 0.9, 0.99, 1].map((q) => quantile(values, q))).toEqual([5, 9, 10, 10]);
    expect(quantile([7], 0.5)).toBe(7);
  });
});
