import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { addUser, asSession, sessionFor, type TestSession } from '../support/auth.ts';
import { countRows } from '../support/db.ts';
import { type LoopbackServer, startLoopbackServer } from '../support/loopback-server.ts';
import { medium, reportUrl, triageUrl } from './fixtures.ts';

// Videos are never streamed through the workspace: the safe view refuses them before any fetch,
// and the item screen offers their exact hashes and, when configured, a link to the isolated viewer.

let server: LoopbackServer;
let t: TestApp;
let analyst: TestSession;
const template = 'https://viewer.internal/?sha256={sha256}&item={item}';

beforeAll(async () => {
  // Answers like a video host would; the test proves it is never asked.
  server = await startLoopbackServer((_req, res) => void res.writeHead(200, { 'Content-Type': 'video/mp4' }).end());
});
afterAll(() => server.close());

beforeEach(async () => {
  server.requests.length = 0;
  t = createTestApp({ env: { HOTLINE_FETCH_ALLOW: server.pair, HOTLINE_VIDEO_VIEWER_URL_TEMPLATE: template } });
  analyst = sessionFor(t, await addUser(t, 'analyst'));
});

/** An item whose page showed a picture (medium 0) and a video (medium 1), both on the loopback site. */
function itemWithVideo(): number {
  const url = `${server.origin}/page`;
  reportUrl(t, url);
  const picture = medium('picture');
  picture.url = `${server.origin}/picture.jpg`;
  const clip = medium('clip');
  clip.url = `${server.origin}/clip.mp4`;
  clip.signals = { ...clip.signals, mediaType: 'video/mp4', pdq: null, pdqQuality: null, width: null, height: null };
  return triageUrl(t, url, [picture, clip]);
}

describe('video media', () => {
  it('the safe view refuses a video with 415 before fetching anything, and records no view or exposure', async () => {
    const itemId = itemWithVideo();
    const res = await request(t.app)
      .get(`/api/v1/items/${itemId}/media/1/view?blur=0`)
      .set(asSession(analyst))
      .set('Accept-Language', 'en')
      .expect(415);
    expect(res.body).toMatchObject({ error: 'not_viewable', message: expect.stringContaining('hashes') });
    expect(server.requests).toEqual([]);
    expect(countRows(t.database, "audit_events where action = 'media.view'")).toBe(0);
    expect(countRows(t.database, 'analyst_exposure')).toBe(0);
  });

  it('the item offers the video’s exact hashes and the viewer link; pictures get none', async () => {
    const itemId = itemWithVideo();
    const { item } = (await request(t.app).get(`/api/v1/items/${itemId}`).set(asSession(analyst)).expect(200)).body;
    const [picture, clip] = item.media;
    expect(picture).toMatchObject({ mediaType: 'image/jpeg', viewerUrl: null });
    expect(clip).toMatchObject({ mediaType: 'video/mp4', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(clip.viewerUrl).toBe(`https://viewer.internal/?sha256=${clip.sha256}&item=${itemId}`);
  });

  it('"Next" answers the same links', async () => {
    const itemId = itemWithVideo();
    const { item } = (await request(t.app).post('/api/v1/queue/next').set(asSession(analyst)).send({}).expect(200))
      .body;
    expect(item.id).toBe(itemId);
    expect(item.media[1].viewerUrl).toContain('https://viewer.internal/?sha256=');
  });

  it('without a configured viewer, the hashes only', async () => {
    t = createTestApp({ env: { HOTLINE_FETCH_ALLOW: server.pair } });
    analyst = sessionFor(t, await addUser(t, 'analyst'));
    const itemId = itemWithVideo();
    const { item } = (await request(t.app).get(`/api/v1/items/${itemId}`).set(asSession(analyst)).expect(200)).body;
    expect(item.media[1]).toMatchObject({ viewerUrl: null, md5: expect.any(String), sha1: expect.any(String) });
  });
});
