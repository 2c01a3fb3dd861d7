import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const dayMs = 86_400_000;

/** Whether the page still shows the picture, and whether the host still serves it at its address. */
let pageLinks = true;
let imageServed = true;
let image: Buffer;
let server: LoopbackServer;
let t: TestApp;
let recheck: RecheckWorker;
let itemId: number;

beforeAll(async () => {
  image = await syntheticImage(23);
  server = await startLoopbackServer((req, res) => {
    if (req.url === '/page.html') {
      const body = pageLinks ? '<html><body><img src="/picture.png"></body></html>' : '<html><body>Gone</body></html>';
      res.writeHead(200, { 'content-type': 'text/html' }).end(body);
    } else if (req.url === '/picture.png' && imageServed)
      res.writeHead(200, { 'content-type': 'image/png' }).end(image);
    else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  t = createTestApp({ env: { HOTLINE_FETCH_ALLOW: server.pair }, clock: createClock(Date.UTC(2026, 2, 2, 9, 30)) });
  const pageUrl = `${server.origin}/page.html`;
  reportUrl(t, pageUrl);
  // Triage found the picture on the page and recorded its exact hash at its own address.
  itemId = triageImage(t, pageUrl, `${server.origin}/picture.png`, image);
  const analyst = sessionFor(t, await addUser(t, 'analyst'));
  const supervisor = await addUser(t, 'supervisor');
  await assessAndConfirm(t.app, itemId, analyst, sessionFor(t, supervisor));
  const deps = { db: t.database.db, config: t.config, now: t.clock.now };
  for (const f of forwardStates()) updateForward(deps, supervisor.id, f.id as number, { state: 'sent' });
  recheck = await testRecheckWorker(t);
}, 60_000);

afterAll(async () => {
  await recheck?.stop(1000);
  await server?.close();
});

const forwardStates = () => rows(t.database, 'select id, state from forwards where item_id = ? order by id', itemId);
const verdict = () =>
  row(
    t.database,
    'select last_verdict as verdict, last_reason as reason, gone_streak as streak from item_rechecks where item_id = ?',
    itemId,
  );
const pictureRequests = () => server.requests.filter((p) => p === '/picture.png').length;

async function nextDay() {
  t.clock.advance(dayMs);
  await recheck.worker.drain();
}

describe('the re-check of a page that stops showing its media', () => {
  it('fetches the recorded media at their own addresses: online while the host serves them, removed once it does not', async () => {
    await recheck.worker.drain();
    await nextDay();
    expect(verdict()).toMatchObject({ verdict: 'online', reason: 'hashes_served', streak: 0 });
    expect(pictureRequests()).toBe(1);

    // The page drops the picture; its address still serves it: the content is online.
    pageLinks = false;
    await nextDay();
    expect(pictureRequests()).toBe(2);
    expect(verdict()).toMatchObject({ verdict: 'online', reason: 'hashes_served', streak: 0 });
    await nextDay();
    expect(verdict()).toMatchObject({ verdict: 'online', streak: 0 });
    expect(forwardStates().map((f) => f.state)).toEqual(['sent', 'sent']);

    // Now the host answers 404 there too: gone twice in a row, removed.
    imageServed = false;
    await nextDay();
    expect(verdict()).toMatchObject({ verdict: 'gone', reason: 'hashes_not_served', streak: 1 });
    await nextDay();
    expect(forwardStates().map((f) => f.state)).toEqual(['removed', 'removed']);
  });
});
