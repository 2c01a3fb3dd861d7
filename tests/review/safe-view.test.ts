import { createHash } from 'node:crypto';
import sharp from 'sharp';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { heartbeatIntervalMs, heartbeatSlackMs, viewStartChargeMs } from '../../src/review/view-time.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { addUser, asSession, sessionFor, type TestSession } from '../support/auth.ts';
import { rows } from '../support/db.ts';
import { laplacianVariance } from '../support/laplacian.ts';
import { type LoopbackServer, startLoopbackServer } from '../support/loopback-server.ts';
import { syntheticImage } from '../support/synthetic-images.ts';
import { medium, reportUrl, triageUrl } from './fixtures.ts';

let server: LoopbackServer;
let picture: Buffer;
let served: Buffer;
let t: TestApp;
let analyst: TestSession;

beforeAll(async () => {
  picture = await syntheticImage(7, { width: 320, height: 240 });
  served = picture;
  server = await startLoopbackServer((req, res) => {
    if (req.url === '/picture.png') return void res.writeHead(200, { 'Content-Type': 'image/png' }).end(served);
    res.writeHead(404).end();
  });
});
afterAll(() => server.close());

beforeEach(async () => {
  served = picture;
  t = createTestApp({ env: { HOTLINE_FETCH_ALLOW: server.pair } });
  analyst = sessionFor(t, await addUser(t, 'analyst'));
});

function triagedPicture(path = '/picture.png'): number {
  const url = `${server.origin}${path}`;
  reportUrl(t, url);
  const triaged = medium('picture');
  triaged.url = url;
  triaged.signals = { ...triaged.signals, sha256: createHash('sha256').update(picture).digest('hex') };
  return triageUrl(t, url, [triaged]);
}

const view = (itemId: number, query = '') =>
  request(t.app)
    .get(`/api/v1/items/${itemId}/media/0/view${query}`)
    .set(asSession(analyst))
    .set('Accept-Language', 'en')
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });

const heartbeat = (viewId: string, body: object = {}) =>
  request(t.app).post(`/api/v1/views/${viewId}/heartbeat`).set(asSession(analyst)).send(body);

describe('GET /api/v1/items/:id/media/:n/view', () => {
  it('answers a blurred, greyscale JPEG, not stored, by default at the strongest blur', async () => {
    const itemId = triagedPicture();
    const res = await view(itemId).expect(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(res.headers['cache-control']).toBe('no-store');
    const image = res.body as Buffer;
    const meta = await sharp(image).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.channels).toBe(1);
    const original = await laplacianVariance(picture);
    expect(await laplacianVariance(image)).toBeLessThan(original / 20);
    const clearer = await view(itemId, '?blur=1&grey=0').expect(200);
    expect((await sharp(clearer.body as Buffer).metadata()).channels).toBe(3);
    expect(await laplacianVariance(clearer.body as Buffer)).toBeGreaterThan(await laplacianVariance(image));
  });

  it('audits every view with its blur level and counts only views below the blur threshold as exposure', async () => {
    const itemId = triagedPicture();
    expect((await view(itemId).expect(200)).headers['x-view-id']).toBeUndefined();
    expect((await view(itemId, '?blur=1').expect(200)).headers['x-view-id']).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const events = rows(
      t.database,
      "select object_id, details from audit_events where action = 'media.view' order by seq",
    );
    expect(events.map((e) => [e.object_id, JSON.parse(e.details)])).toEqual([
      [String(itemId), { medium: 0, blur: 5, grey: true, exposureMs: 0 }],
      [String(itemId), { medium: 0, blur: 1, grey: true, exposureMs: viewStartChargeMs }],
    ]);
    const queue = await request(t.app).get('/api/v1/queue').set(asSession(analyst)).expect(200);
    expect(queue.body.exposure.usedMs).toBe(viewStartChargeMs);
    expect(queue.body.team).toBeUndefined();
    const supervisor = sessionFor(t, await addUser(t, 'supervisor', 'sue'));
    const team = (await request(t.app).get('/api/v1/queue').set(asSession(supervisor)).expect(200)).body.team;
    expect(team).toHaveLength(2);
    expect(team).toContainEqual({ userId: expect.any(Number), username: 'sue', usedMs: 0 });
    expect(team.find((m: { username: string }) => m.username !== 'sue').usedMs).toBe(viewStartChargeMs);
  });

  it('charges the time a view stays on screen by the server clock, capped per heartbeat, nothing while hidden', async () => {
    const itemId = triagedPicture();
    const viewId = (await view(itemId, '?blur=0').expect(200)).headers['x-view-id'] as string;
    const used = async () =>
      (await request(t.app).get('/api/v1/queue').set(asSession(analyst)).expect(200)).body.exposure.usedMs as number;
    expect(await used()).toBe(viewStartChargeMs);

    t.clock.advance(12_000);
    expect((await heartbeat(viewId).expect(200)).body.chargedMs).toBe(12_000);
    expect(await used()).toBe(viewStartChargeMs + 12_000);
    // A client that waited two minutes cannot claim them: one heartbeat charges at most interval + slack.
    t.clock.advance(120_000);
    expect((await heartbeat(viewId).expect(200)).body.chargedMs).toBe(heartbeatIntervalMs + heartbeatSlackMs);
    // Hidden (tab in the background): the time up to now counts, the time until it shows again not.
    t.clock.advance(7_000);
    expect((await heartbeat(viewId, { hidden: true }).expect(200)).body.chargedMs).toBe(7_000);
    t.clock.advance(20_000);
    expect((await heartbeat(viewId).expect(200)).body.chargedMs).toBe(0);
    t.clock.advance(5_000);
    expect((await heartbeat(viewId).expect(200)).body.chargedMs).toBe(5_000);
    expect(await used()).toBe(viewStartChargeMs + 12_000 + 30_000 + 7_000 + 5_000);
    const audited = rows(t.database, "select details from audit_events where action = 'media.view_time' order by seq");
    expect(audited.map((e) => JSON.parse(e.details).ms)).toEqual([12_000, 30_000, 7_000, 0, 5_000]);

    // Another analyst's view, or none: 404; a bad body: 400.
    const other = sessionFor(t, await addUser(t, 'analyst'));
    expect((await heartbeat(viewId).set(asSession(other)).expect(404)).body.error).toBe('view_not_found');
    await heartbeat('no-such-view').expect(404);
    await heartbeat(viewId, { hidden: 'yes' }).expect(400);
  });

  it('answers exposure_exhausted to the heartbeat that spends the budget mid-view', async () => {
    const admin = sessionFor(t, await addUser(t, 'admin'));
    await request(t.app).patch('/api/v1/settings').set(asSession(admin)).send({ exposureLimitMinutes: 1 }).expect(200);
    const itemId = triagedPicture();
    const viewId = (await view(itemId, '?blur=0').expect(200)).headers['x-view-id'] as string;
    t.clock.advance(20_000);
    expect((await heartbeat(viewId).expect(200)).body.exposure).toMatchObject({ usedMs: 25_000, exhausted: false });
    t.clock.advance(25_000);
    expect((await heartbeat(viewId).expect(200)).body.exposure).toMatchObject({ usedMs: 50_000, warning: true });
    t.clock.advance(20_000);
    expect((await heartbeat(viewId).expect(403)).body.error).toBe('exposure_exhausted');
    expect((await view(itemId, '?blur=0').expect(403)).body.toString()).toContain('exposure_exhausted');
  });

  it('refuses the view of a known item unless a supervisor asks explicitly, and audits that', async () => {
    const itemId = triagedPicture();
    t.database.sqlite.prepare("update items set state = 'known', review_queue = null where id = ?").run(itemId);
    expect((await view(itemId).expect(409)).body.toString()).toContain('"known_item"');
    expect((await view(itemId, '?acknowledgeKnown=1').expect(403)).body.toString()).toContain('"known_item"');
    const sue = await addUser(t, 'supervisor');
    const supervisor = sessionFor(t, sue);
    await view(itemId).set(asSession(supervisor)).expect(409);
    await view(itemId, '?acknowledgeKnown=1').set(asSession(supervisor)).expect(200);
    const events = rows(t.database, "select actor, details from audit_events where action = 'media.view'");
    expect(events.map((e) => [e.actor, JSON.parse(e.details).acknowledgedKnown])).toEqual([[`user:${sue.id}`, true]]);
  });

  it('warns at 80 % of the daily budget and refuses views at the limit; other work goes on', async () => {
    const admin = sessionFor(t, await addUser(t, 'admin'));
    await request(t.app).patch('/api/v1/settings').set(asSession(admin)).send({ exposureLimitMinutes: 5 }).expect(200);
    const itemId = triagedPicture();
    // Each view below the threshold, then a minute on screen (two heartbeats).
    for (const expected of ['0', '0', '0', '0', '1']) {
      const res = await view(itemId, '?blur=0').expect(200);
      expect(res.headers['x-exposure-warning']).toBe(expected);
      for (const _ of [1, 2]) {
        t.clock.advance(27_500);
        await heartbeat(res.headers['x-view-id'] as string, { hidden: _ === 2 }).expect(200);
      }
    }
    const refused = await request(t.app)
      .get(`/api/v1/items/${itemId}/media/0/view?blur=5`)
      .set(asSession(analyst))
      .expect(403);
    expect(refused.body.error).toBe('exposure_exhausted');
    await request(t.app).get(`/api/v1/items/${itemId}`).set(asSession(analyst)).expect(200);
    t.clock.advance(24 * 3_600_000);
    await view(itemId, '?blur=0')
      .set(asSession(sessionFor(t, await addUser(t, 'analyst'))))
      .expect(200);
  });

  it('says the content changed when its hash is not triage’s, and gone when it is gone', async () => {
    const itemId = triagedPicture();
    served = await syntheticImage(8, { width: 320, height: 240 });
    expect((await view(itemId).expect(409)).body.toString()).toContain('content_changed');
    const goneItem = triagedPicture('/removed.png');
    expect((await view(goneItem).expect(410)).body.toString()).toContain('"gone"');
    expect(rows(t.database, "select * from audit_events where action = 'media.view'")).toEqual([]);
  });

  it('refuses a bad blur level or an unknown medium', async () => {
    const itemId = triagedPicture();
    await view(itemId, '?blur=9').expect(400);
    await request(t.app).get(`/api/v1/items/${itemId}/media/3/view`).set(asSession(analyst)).expect(404);
  });
});
