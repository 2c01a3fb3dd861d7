import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditKey } from '../../src/audit/chain.ts';
import { verifyAuditChain } from '../../src/audit/verify.ts';
import { updateForward } from '../../src/forwarding/forwards.ts';
import type { RecheckWorker } from '../../src/forwarding/recheck-worker.ts';
import { reportUrl } from '../review/fixtures.ts';
import { createClock, createTestApp, type TestApp } from '../support/app.ts';
import { assessAndConfirm } from '../support/assessments.ts';
import { addUser, sessionFor } from '../support/auth.ts';
import { row, rows } from '../support/db.ts';
import { type LoopbackServer, startLoopbackServer } from '../support/loopback-server.ts';
import { syntheticImage } from '../support/synthetic-images.ts';
import { testRecheckWorker, triageImage } from './recheck-support.ts';

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

/** What the loopback site does with the reported image today. */
let serving: 'image' | 'missing' | 'outage' = 'image';
let image: Buffer;
let server: LoopbackServer;
let t: TestApp;
let recheck: RecheckWorker;
let itemId: number;
let receipt: string;

beforeAll(async () => {
  image = await syntheticImage(11);
  server = await startLoopbackServer((_req, res) => {
    if (serving === 'image') res.writeHead(200, { 'content-type': 'image/png' }).end(image);
    else if (serving === 'missing') res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    else res.writeHead(503, { 'content-type': 'text/plain' }).end('busy');
  });
  t = createTestApp({ env: { HOTLINE_FETCH_ALLOW: server.pair }, clock: createClock(Date.UTC(2026, 2, 2, 9, 30)) });
  const url = `${server.origin}/picture.png`;
  receipt = reportUrl(t, url);
  // Triage recorded the image's exact hashes (only hashes are stored).
  itemId = triageImage(t, url, url, image);

  const analyst = sessionFor(t, await addUser(t, 'analyst'));
  const supervisor = await addUser(t, 'supervisor');
  await assessAndConfirm(t.app, itemId, analyst, sessionFor(t, supervisor));
  const deps = { db: t.database.db, config: t.config, now: t.clock.now };
  // The page is hosted in BE (police), its medium in NL (partner hotline); one is acknowledged.
  const [police, partner] = forwardsOf().map((f) => f.id);
  updateForward(deps, supervisor.id, police as number, { state: 'sent' });
  updateForward(deps, supervisor.id, partner as number, { state: 'sent' });
  updateForward(deps, supervisor.id, partner as number, { state: 'acknowledged', receiverReference: 'NL-1' });
  recheck = await testRecheckWorker(t);
}, 60_000);

afterAll(async () => {
  await recheck?.stop(1000);
  await server?.close();
});

function forwardsOf() {
  return rows(
    t.database,
    'select id, state, removed_at as removedAt from forwards where item_id = ? order by id',
    itemId,
  );
}

function recheckRow() {
  return row(
    t.database,
    'select gone_streak as streak, gone_since as goneSince, next_check_at as nextCheckAt, last_verdict as verdict, last_reason as reason from item_rechecks where item_id = ?',
    itemId,
  );
}

const systemUpdates = () =>
  rows(
    t.database,
    "select object_id as forwardId, actor, details from audit_events where action = 'forward.update' and actor = 'system' order by seq",
  ).map((e) => ({ forwardId: Number(e.forwardId), actor: e.actor, ...JSON.parse(e.details) }));

const reporterStatus = async () =>
  (await request(t.app).post('/api/v1/status').send({ receipt }).expect(200)).body.status as string;

/** A day passes; the worker runs whatever is due (the hourly sweep, then the re-checks it queued). */
async function nextDay() {
  t.clock.advance(dayMs);
  await recheck.worker.drain();
}

describe('the re-check of a forwarded item, against a loopback site', () => {
  it('follows it from served to removed (404 twice) and back online, audited as the system', async () => {
    const [police, partner] = forwardsOf().map((f) => f.id as number);
    const requests = () => server.requests.filter((p) => p === '/picture.png').length;

    // The first sweep finds the item and plans its first re-check a day later (no jitter at 0.5).
    await recheck.worker.drain();
    const startedAt = t.clock.now();
    expect(recheckRow()).toMatchObject({ streak: 0, nextCheckAt: startedAt + dayMs, verdict: null });
    expect(requests()).toBe(0);

    await nextDay();
    expect(requests()).toBe(1);
    expect(recheckRow()).toMatchObject({ streak: 0, verdict: 'online', reason: 'hashes_served' });
    expect(forwardsOf().map((f) => f.state)).toEqual(['sent', 'acknowledged']);

    serving = 'missing';
    await nextDay();
    const firstGoneAt = t.clock.now();
    expect(recheckRow()).toMatchObject({ streak: 1, goneSince: firstGoneAt, verdict: 'gone', reason: 'http_404' });
    // Once is not enough: a site can be down for a day.
    expect(forwardsOf().map((f) => f.state)).toEqual(['sent', 'acknowledged']);

    // An outage proves nothing either way: the count stays.
    serving = 'outage';
    await nextDay();
    expect(recheckRow()).toMatchObject({ streak: 1, goneSince: firstGoneAt, verdict: 'unreachable' });
    expect(forwardsOf().map((f) => f.state)).toEqual(['sent', 'acknowledged']);

    serving = 'missing';
    await nextDay();
    expect(requests()).toBe(4);
    // Removed as of the first re-check that found it gone.
    expect(forwardsOf()).toEqual([
      { id: police, state: 'removed', removedAt: firstGoneAt },
      { id: partner, state: 'removed', removedAt: firstGoneAt },
    ]);
    expect(systemUpdates()).toEqual([
      expect.objectContaining({ forwardId: police, from: 'sent', to: 'removed', by: 'recheck', reason: 'http_404' }),
      expect.objectContaining({ forwardId: partner, from: 'acknowledged', to: 'removed', reason: 'http_404' }),
    ]);
    expect(await reporterStatus()).toBe('closed');

    // Still gone: nothing more happens.
    await nextDay();
    expect(systemUpdates()).toHaveLength(2);

    serving = 'image';
    await nextDay();
    expect(forwardsOf()).toEqual([
      { id: police, state: 'still_online', removedAt: null },
      { id: partner, state: 'still_online', removedAt: null },
    ]);
    expect(recheckRow()).toMatchObject({ streak: 0, goneSince: null, verdict: 'online' });
    expect(systemUpdates().slice(2)).toEqual([
      expect.objectContaining({ forwardId: police, from: 'removed', to: 'still_online', reason: 'hashes_served' }),
      expect.objectContaining({ forwardId: partner, from: 'removed', to: 'still_online', reason: 'hashes_served' }),
    ]);
    // The reporter's status follows the review's decision, not the content's comings and goings.
    expect(await reporterStatus()).toBe('closed');
    expect(verifyAuditChain(t.database.db, auditKey(t.config)).ok).toBe(true);
  });
});
