import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createBank, insertBankEntries } from '../../src/banks/commands.ts';
import type { Config } from '../../src/config.ts';
import type { DatabaseHandle } from '../../src/db/client.ts';
import { items } from '../../src/db/schema/intake.ts';
import { jobs } from '../../src/db/schema/jobs.ts';
import { itemMedia, itemSuggestions, mediaMatches } from '../../src/db/schema/triage.ts';
import { deriveIntakeKeys, submitReport } from '../../src/intake/submit-report.ts';
import { claimJob } from '../../src/jobs/queue.ts';
import { createLogger } from '../../src/logger.ts';
import { EarlierMedia } from '../../src/matching/earlier-media.ts';
import { computeSignals } from '../../src/signals/compute-signals.ts';
import { recomputeItemPriority } from '../../src/triage/item-priority.ts';
import { suggestKnownAssessment } from '../../src/triage/known-content.ts';
import { inspectUrl, mediaParallelism, type TriageTools } from '../../src/triage/pipeline.ts';
import { storeTriageResult, triageOutcome } from '../../src/triage/store-triage-result.ts';
import { triageJobType, triageStateHooks } from '../../src/triage/triage-job.ts';
import { createTriageTools } from '../../src/triage/triage-tools.ts';
import { createTriageWorker } from '../../src/triage/triage-worker.ts';
import { listTriagedItems } from '../../src/triage/triaged-items.ts';
import { createClock } from '../support/app.ts';
import { testConfig } from '../support/config.ts';
import { createTestDatabase, rows } from '../support/db.ts';
import { type LoopbackServer, startLoopbackServer } from '../support/loopback-server.ts';
import { syntheticImage } from '../support/synthetic-images.ts';

const limits = { maxBytes: 20 * 1024 * 1024, maxPixels: 40_000_000 };
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

let server: LoopbackServer;
let handle: DatabaseHandle;
let config: Config;
let tools: TriageTools;
let closeTools: () => Promise<void>;
const files = new Map<string, Buffer>();
/** Responses to /held/... requests, left unanswered until the test ends them. */
const held: ServerResponse[] = [];
let entryIds: { partnerPdq: number; hotlineSha: number; partnerMd5: number };

const page = `<!doctype html><html><head><meta property="og:image" content="/img/c.webp"></head><body>
<img src="/img/a.png" alt=""><picture><source srcset="/img/b.jpg 1x, /img/b.jpg 2x"></picture>
<img src="/img/missing.jpg"><a href="/about.html">about</a></body></html>`;

beforeAll(async () => {
  files.set('/img/a.png', await syntheticImage(1));
  // The same picture, scaled and re-encoded at another address: a different file, the same image.
  files.set('/elsewhere/a-copy.jpg', await syntheticImage(1, { format: 'jpeg', scale: 0.8, quality: 70 }));
  files.set('/img/b.jpg', await syntheticImage(2, { format: 'jpeg' }));
  files.set('/img/c.webp', await syntheticImage(3, { format: 'webp' }));
  files.set('/known.png', await syntheticImage(4));
  for (let i = 0; i < 4; i++) files.set(`/gallery/${i}.png`, files.get('/known.png') as Buffer);
  const gallery = Array.from({ length: 4 }, (_, i) => `<img src="/gallery/${i}.png">`).join('');
  files.set('/gallery.html', Buffer.from(`<!doctype html><html><body>${gallery}</body></html>`));
  files.set('/page.html', Buffer.from(page));
  files.set('/text', Buffer.from('just some words, no picture here'));
  // A file in a format the sniffer does not know (no signature it has), like a rare archive.
  files.set('/archive.bin', Buffer.from(Array.from({ length: 10_000 }, (_, i) => 1 + (i % 7))));
  const heldImages = Array.from({ length: 10 }, (_, i) => `<img src="/held/${i}.png">`);
  files.set('/slow-page.html', Buffer.from(`<!doctype html><html><body>${heldImages.join('')}</body></html>`));
  server = await startLoopbackServer((req, res) => {
    if (req.url === '/redirect') {
      res.writeHead(302, { location: '/img/a.png' }).end();
      return;
    }
    if (req.url === '/hang') return;
    if (req.url?.startsWith('/held/')) {
      held.push(res);
      return;
    }
    const body = files.get(req.url ?? '');
    if (!body) res.writeHead(404).end('not here');
    else res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
  });
  handle = createTestDatabase();
  config = testConfig({ HOTLINE_FETCH_ALLOW: server.pair, HOTLINE_FETCH_TIMEOUT_MS: '2000' });

  // A partner bank knows picture 1 by its PDQ; our own bank confirmed picture 4 by its SHA-256.
  const a = await computeSignals(files.get('/img/a.png') as Buffer, limits);
  const known = await computeSignals(files.get('/known.png') as Buffer, limits);
  entryIds = handle.db.transaction((tx) => {
    const partner = createBank(tx, { name: 'partner' }, 0);
    const hotline = createBank(tx, { name: 'hotline' }, 0);
    const entry = (signalType: 'pdq' | 'sha256' | 'md5', value: string, label: string) => ({
      line: 1,
      signalType,
      value,
      label,
      sourceRef: null,
    });
    insertBankEntries(tx, partner, [entry('pdq', a.pdq as string, 'national/real_abuse')], 0);
    insertBankEntries(tx, hotline, [entry('sha256', known.sha256, 'baseline/real_abuse')], 0);
    const archiveMd5 = createHash('md5')
      .update(files.get('/archive.bin') as Buffer)
      .digest('hex');
    insertBankEntries(tx, partner, [entry('md5', archiveMd5, 'national/real_abuse')], 0);
    return { partnerPdq: 1, hotlineSha: 2, partnerMd5: 3 };
  });
  ({ tools, close: closeTools } = await createTriageTools(config, handle.db));
});

afterAll(async () => {
  for (const res of held) res.destroy();
  await closeTools();
  await server.close();
  handle.close();
});

describe('inspectUrl', () => {
  it('hashes an image served directly and matches it', async () => {
    const result = await inspectUrl(`${server.origin}/img/a.png`, tools);
    expect(result.error).toBeNull();
    expect(result.page).toBe(false);
    expect(result.httpStatus).toBe(200);
    expect(result.hosting).toEqual({ kind: 'ip', ip: '127.0.0.1', country: null, asn: null, org: null });
    expect(result.media).toHaveLength(1);
    const [medium] = result.media;
    expect(medium?.signals).toMatchObject({ mediaType: 'image/png', width: 160, height: 120 });
    expect(medium?.signals.sha256).toBe(sha256(files.get('/img/a.png') as Buffer));
    expect(medium?.signals.pdq).toMatch(/^[0-9a-f]{64}$/);
    expect(medium?.matches).toMatchObject([
      { bank: 'partner', entryId: entryIds.partnerPdq, signalType: 'pdq', distance: 0 },
    ]);
  });

  it('keeps the exact hashes of bytes the sniffer does not know, and matches them', async () => {
    const archive = files.get('/archive.bin') as Buffer;
    const result = await inspectUrl(`${server.origin}/archive.bin`, tools);
    expect(result).toMatchObject({ error: null, page: false, httpStatus: 200 });
    expect(result.media).toHaveLength(1);
    const [medium] = result.media;
    expect(medium).toMatchObject({ size: archive.length, refusal: null });
    expect(medium?.signals).toMatchObject({
      mediaType: 'application/octet-stream',
      sha256: sha256(archive),
      pdq: null,
    });
    expect(medium?.matches).toMatchObject([
      { bank: 'partner', entryId: entryIds.partnerMd5, signalType: 'md5', distance: 0 },
    ]);
  });

  it('finds the same picture re-encoded and scaled elsewhere through the bank', async () => {
    const copy = files.get('/elsewhere/a-copy.jpg') as Buffer;
    const result = await inspectUrl(`${server.origin}/elsewhere/a-copy.jpg`, tools);
    const [medium] = result.media;
    expect(medium?.signals.sha256).toBe(sha256(copy));
    expect(medium?.signals.sha256).not.toBe(sha256(files.get('/img/a.png') as Buffer));
    expect(medium?.signals.mediaType).toBe('image/jpeg');
    expect(medium?.matches).toHaveLength(1);
    expect(medium?.matches[0]).toMatchObject({ bank: 'partner', label: 'national/real_abuse', signalType: 'pdq' });
    expect(medium?.matches[0]?.distance).toBeLessThanOrEqual(config.matching.thresholds.pdq);
  });

  it('a different picture does not match', async () => {
    const result = await inspectUrl(`${server.origin}/img/b.jpg`, tools);
    expect(result.media[0]?.matches).toEqual([]);
  });

  it('fetches the media a page shows, in page order, and notes those it could not get', async () => {
    const result = await inspectUrl(`${server.origin}/page.html`, tools);
    expect(result.page).toBe(true);
    expect(result.error).toBeNull();
    expect(result.media.map((m) => new URL(m.url).pathname)).toEqual(['/img/c.webp', '/img/a.png', '/img/b.jpg']);
    expect(result.media.map((m) => m.signals.sha256)).toEqual(
      ['/img/c.webp', '/img/a.png', '/img/b.jpg'].map((p) => sha256(files.get(p) as Buffer)),
    );
    expect(result.media.map((m) => m.matches.length)).toEqual([0, 1, 0]);
    expect(result.skipped).toEqual([
      { url: `${server.origin}/img/missing.jpg`, reason: 'http_status', httpStatus: 404 },
    ]);
    expect(server.requests).not.toContain('/about.html');
  });

  it('follows a redirect and reports where the content was', async () => {
    const result = await inspectUrl(`${server.origin}/redirect`, tools);
    expect(result.finalUrl).toBe(`${server.origin}/img/a.png`);
    expect(result.media[0]?.signals.sha256).toBe(sha256(files.get('/img/a.png') as Buffer));
  });

  it('says why an address is unreachable', async () => {
    const closed = await startLoopbackServer(() => {});
    await closed.close();
    const withClosed = await createTriageTools(
      testConfig({ HOTLINE_FETCH_ALLOW: `${server.pair},${closed.pair}`, HOTLINE_FETCH_TIMEOUT_MS: '300' }),
      handle.db,
    );
    try {
      const reasonFor = async (url: string) => {
        const result = await inspectUrl(url, withClosed.tools);
        return { error: result.error, httpStatus: result.httpStatus, media: result.media.length };
      };
      expect(await reasonFor(`${server.origin}/nothing`)).toEqual({ error: 'http_status', httpStatus: 404, media: 0 });
      // Text that is not a page is a medium of unknown type, with its exact hashes.
      expect(await reasonFor(`${server.origin}/text`)).toEqual({ error: null, httpStatus: 200, media: 1 });
      expect(await reasonFor(`${closed.origin}/`)).toEqual({ error: 'refused', httpStatus: null, media: 0 });
      expect(await reasonFor(`${server.origin}/hang`)).toEqual({ error: 'timeout', httpStatus: null, media: 0 });
      expect(await reasonFor('http://127.0.0.1:1/')).toMatchObject({ error: 'port' });
    } finally {
      await withClosed.close();
    }
  });
});

describe('a page and its media', () => {
  it('a page showing more media than the limit is not known, even when every medium read is', async () => {
    const pageUrl = `${server.origin}/gallery.html`;
    const ownBanks = new Set(['hotline']);
    const whole = await inspectUrl(pageUrl, { ...tools, maxMediaPerPage: 4 });
    expect(whole.skipped).toEqual([]);
    expect(suggestKnownAssessment(whole, ownBanks)).toEqual({
      label: 'baseline/real_abuse',
      bankEntryId: entryIds.hotlineSha,
    });

    const partial = await inspectUrl(pageUrl, { ...tools, maxMediaPerPage: 3 });
    expect(partial.media).toHaveLength(3);
    expect(partial.media.every((m) => m.matches.some((match) => match.bank === 'hotline'))).toBe(true);
    expect(partial.skipped).toEqual([{ url: pageUrl, reason: 'media_limit' }]);
    const suggestion = suggestKnownAssessment(partial, ownBanks);
    expect(suggestion).toBeNull();
    expect(triageOutcome(partial, suggestion).state).not.toBe('known');
  });

  it("fetches a page's media a few at a time within the budget, and skips the rest as timeout", async () => {
    // A fetch timeout far beyond the test's: only the budget can end this inspection.
    const patient = await createTriageTools(
      testConfig({ HOTLINE_FETCH_ALLOW: server.pair, HOTLINE_FETCH_TIMEOUT_MS: '600000' }),
      handle.db,
    );
    try {
      const budget = new AbortController();
      const inspecting = inspectUrl(`${server.origin}/slow-page.html`, patient.tools, budget.signal);
      await vi.waitFor(() => expect(held).toHaveLength(mediaParallelism), { timeout: 10_000, interval: 5 });
      const connectionsClosed = held.map((res) => new Promise((resolve) => res.once('close', resolve)));
      budget.abort();
      const result = await inspecting;
      // The fetches in flight end with the budget: their connections close, not just the waiting.
      await Promise.all(connectionsClosed);
      expect(held.every((res) => !res.writableEnded)).toBe(true);
      expect(result).toMatchObject({ page: true, error: null, media: [] });
      expect(result.skipped).toEqual(
        Array.from({ length: 10 }, (_, i) => ({ url: `${server.origin}/held/${i}.png`, reason: 'timeout' })),
      );
      // Only the media in flight when the budget ran out were asked for.
      expect(server.requests.filter((path) => path.startsWith('/held/'))).toHaveLength(mediaParallelism);
    } finally {
      for (const res of held.splice(0)) res.destroy();
      await patient.close();
    }
  });

  it('records where each medium is hosted, apart from the page', async () => {
    const cdn = await startLoopbackServer((_req, res) => res.writeHead(200).end(files.get('/img/b.jpg')), '::1');
    const site = await startLoopbackServer((_req, res) =>
      res.writeHead(200).end(`<!doctype html><html><body><img src="${cdn.origin}/b.jpg"></body></html>`),
    );
    const both = await createTriageTools(testConfig({ HOTLINE_FETCH_ALLOW: `${site.pair},${cdn.pair}` }), handle.db);
    try {
      const result = await inspectUrl(`${site.origin}/`, both.tools);
      expect(result.hosting).toMatchObject({ kind: 'ip', ip: '127.0.0.1' });
      expect(result.media.map((m) => m.hosting)).toEqual([
        { kind: 'ip', ip: '::1', country: null, asn: null, org: null },
      ]);
    } finally {
      await both.close();
      await Promise.all([cdn.close(), site.close()]);
    }
  });
});

describe('triage of reported items through the worker', () => {
  it('takes reports from intake to ready, known and unreachable items with media, matches and priority', async () => {
    const clock = createClock();
    const deps = {
      db: handle.db,
      keys: deriveIntakeKeys(config.secretKey),
      now: clock.now,
      fetchAllow: config.fetch.allow,
    };
    const report = (urls: string[], category: 'csam' | 'other') =>
      submitReport(deps, { urls, category, siteType: 'website', mediaType: 'image' });
    report([`${server.origin}/page.html`, `${server.origin}/known.png`], 'csam');
    report([`${server.origin}/page.html`], 'other');
    report([`${server.origin}/missing`, `${server.origin}/img/b.jpg`], 'other');
    expect(handle.db.select().from(jobs).all()).toHaveLength(4);

    // The synchronous level each triage result was committed with, read by SQL inside its transaction.
    handle.sqlite.exec(`create temp table result_sync (level integer);
      create temp trigger note_result_sync after update of state on main.items when new.state <> 'fetching'
      begin insert into result_sync select synchronous from pragma_synchronous; end`);
    clock.advance(2 * 3_600_000);
    const running = await createTriageWorker({
      config,
      db: handle.db,
      logger: createLogger('silent'),
      now: clock.now,
      tools,
    });
    expect(await running.worker.drain()).toBe(4);
    await running.stop(0);
    // Triage's completions commit NORMAL (see createTriageWorker); the connection is FULL again after.
    expect(rows(handle, 'select level from result_sync').map((r) => r.level)).toEqual([1, 1, 1, 1]);
    expect(handle.sqlite.pragma('synchronous', { simple: true })).toBe(2);

    const byPath = new Map(
      listTriagedItems(handle.db, { limit: 100 }).map((item) => [new URL(item.url).pathname, item]),
    );
    expect(
      handle.db
        .select()
        .from(jobs)
        .all()
        .every((job) => job.status === 'done'),
    ).toBe(true);

    const pageItem = byPath.get('/page.html');
    // One image of the page could not be fetched: the item is ready, but says it is incomplete.
    expect(pageItem).toMatchObject({
      state: 'ready',
      stateReason: 'media_unreachable',
      reportCount: 2,
      httpStatus: 200,
      skipped: [{ url: `${server.origin}/img/missing.jpg`, reason: 'http_status' }],
    });
    expect(pageItem?.hosting).toEqual({ kind: 'ip', ip: '127.0.0.1', country: null, asn: null, org: null });
    expect(pageItem?.media.map((m) => m.sha256)).toEqual(
      ['/img/c.webp', '/img/a.png', '/img/b.jpg'].map((p) => sha256(files.get(p) as Buffer)),
    );
    expect(pageItem?.media[1]?.matches).toMatchObject([
      { bank: 'partner', label: 'national/real_abuse', entryId: entryIds.partnerPdq },
    ]);
    expect(pageItem?.priorityReasons.map((r) => r.code)).toEqual(['match_national', 'category', 'reports', 'waiting']);
    expect(pageItem?.priority).toBe(pageItem?.priorityReasons.reduce((sum, r) => sum + r.points, 0));

    expect(byPath.get('/known.png')).toMatchObject({
      state: 'known',
      suggestion: { label: 'baseline/real_abuse', bankEntryId: entryIds.hotlineSha },
    });
    expect(byPath.get('/missing')).toMatchObject({
      state: 'unreachable',
      stateReason: 'http_status',
      httpStatus: 404,
      media: [],
    });
    expect(byPath.get('/img/b.jpg')).toMatchObject({ state: 'ready', priorityReasons: [{ code: 'waiting' }] });
    expect((byPath.get('/known.png')?.priority ?? 0) > (byPath.get('/img/b.jpg')?.priority ?? 0)).toBe(true);

    // A later report of a triaged item: intake counts it, and the priority follows without a new fetch.
    report([`${server.origin}/img/b.jpg`], 'csam');
    const bItem = byPath.get('/img/b.jpg');
    const recomputed = handle.db.transaction((tx) => recomputeItemPriority(tx, bItem?.id ?? 0, clock.now()));
    expect(recomputed?.reasons.map((r) => r.code)).toEqual(['category', 'reports', 'waiting']);
    const stored = listTriagedItems(handle.db, { limit: 100 }).find((item) => item.id === bItem?.id);
    expect(stored?.priority).toBe(recomputed?.score);
    expect(stored?.priority).toBeGreaterThan(bItem?.priority ?? 0);
  });

  it('with HOTLINE_FETCH=off, triage jobs stay pending and their items new, for an analyst', async () => {
    const off = createTestDatabase();
    try {
      const offConfig = testConfig({ HOTLINE_FETCH: 'off', HOTLINE_FETCH_ALLOW: server.pair });
      const deps = {
        db: off.db,
        keys: deriveIntakeKeys(offConfig.secretKey),
        now: Date.now,
        fetchAllow: offConfig.fetch.allow,
      };
      submitReport(deps, {
        urls: [`${server.origin}/img/b.jpg`],
        category: 'csam',
        siteType: 'website',
        mediaType: 'image',
      });
      const requestsBefore = server.requests.length;
      const running = await createTriageWorker({
        config: offConfig,
        db: off.db,
        logger: createLogger('silent'),
        now: Date.now,
      });
      expect(await running.worker.drain()).toBe(0);
      await running.stop(0);
      expect(off.db.select().from(jobs).all()).toMatchObject([{ status: 'pending', attempts: 0 }]);
      expect(off.db.select().from(items).all()).toMatchObject([{ state: 'new', fetchedAt: null }]);
      expect(server.requests.length).toBe(requestsBefore);
    } finally {
      off.close();
    }
  });

  it('a job ends within HOTLINE_TRIAGE_BUDGET_MS, its unfetched media skipped as timeout', async () => {
    const budgeted = createTestDatabase();
    const budgetConfig = testConfig({
      HOTLINE_FETCH_ALLOW: server.pair,
      HOTLINE_FETCH_TIMEOUT_MS: '600000',
      HOTLINE_TRIAGE_BUDGET_MS: '200',
    });
    const patient = await createTriageTools(budgetConfig, budgeted.db);
    try {
      const deps = {
        db: budgeted.db,
        keys: deriveIntakeKeys(budgetConfig.secretKey),
        now: Date.now,
        fetchAllow: [server.pair],
      };
      submitReport(deps, {
        urls: [`${server.origin}/slow-page.html`],
        category: 'csam',
        siteType: 'website',
        mediaType: 'image',
      });
      const running = await createTriageWorker({
        config: budgetConfig,
        db: budgeted.db,
        logger: createLogger('silent'),
        now: Date.now,
        tools: patient.tools,
      });
      expect(await running.worker.drain()).toBe(1);
      await running.stop(0);
      const [item] = listTriagedItems(budgeted.db, { limit: 10 });
      expect(item).toMatchObject({ state: 'unreachable', stateReason: 'media_unreachable', media: [] });
      expect(item?.skipped.map((s) => s.reason)).toEqual(Array(10).fill('timeout'));
    } finally {
      for (const res of held.splice(0)) res.destroy();
      await patient.close();
      budgeted.close();
    }
  });

  it('a worker that stops ends the fetches of the jobs it releases, connections included', async () => {
    const stopping = createTestDatabase();
    const stopConfig = testConfig({ HOTLINE_FETCH_ALLOW: server.pair, HOTLINE_FETCH_TIMEOUT_MS: '600000' });
    const patient = await createTriageTools(stopConfig, stopping.db);
    try {
      const keys = deriveIntakeKeys(stopConfig.secretKey);
      submitReport(
        { db: stopping.db, keys, now: Date.now, fetchAllow: [server.pair] },
        { urls: [`${server.origin}/held/stop.png`], category: 'csam', siteType: 'website', mediaType: 'image' },
      );
      const running = await createTriageWorker({
        config: stopConfig,
        db: stopping.db,
        logger: createLogger('silent'),
        now: Date.now,
        tools: patient.tools,
      });
      const draining = running.worker.drain();
      await vi.waitFor(() => expect(held).toHaveLength(1), { timeout: 10_000, interval: 5 });
      const connectionClosed = new Promise((resolve) => held[0]?.once('close', resolve));
      await running.stop(0);
      await connectionClosed; // the fetch ended with the job, not at its own (ten-minute) timeout
      expect(await draining).toBe(1);
      expect(stopping.db.select({ state: items.state }).from(items).all()).toEqual([{ state: 'new' }]);
    } finally {
      for (const res of held.splice(0)) res.destroy();
      await patient.close();
      stopping.close();
    }
  });

  it('with HOTLINE_FETCH=off, a job a crashed worker left running is put back and its item is new again', async () => {
    const off = createTestDatabase();
    try {
      const offConfig = testConfig({ HOTLINE_FETCH: 'off', HOTLINE_FETCH_ALLOW: server.pair });
      const t0 = Date.now();
      const deps = {
        db: off.db,
        keys: deriveIntakeKeys(offConfig.secretKey),
        now: () => t0,
        fetchAllow: [server.pair],
      };
      submitReport(deps, {
        urls: [`${server.origin}/img/b.jpg`],
        category: 'csam',
        siteType: 'website',
        mediaType: 'image',
      });
      // A worker that fetched claimed the job, showed the item as being fetched, and died.
      off.db.transaction((tx) => {
        const job = claimJob(tx, { types: [triageJobType], workerId: 'dead', now: t0, lockMs: 60_000 });
        if (job) triageStateHooks.onClaimed?.(tx, job);
      });
      expect(off.db.select().from(items).get()?.state).toBe('fetching');
      const running = await createTriageWorker({
        config: offConfig,
        db: off.db,
        logger: createLogger('silent'),
        now: () => t0 + 60_001,
      });
      expect(await running.worker.drain()).toBe(0);
      await running.stop(0);
      expect(off.db.select().from(jobs).all()).toMatchObject([{ status: 'pending', lastError: 'lock_expired' }]);
      expect(off.db.select().from(items).get()).toMatchObject({ state: 'new', stateReason: 'lock_expired' });
    } finally {
      off.close();
    }
  });

  it('triaging an item again replaces its media instead of adding to them', async () => {
    const [item] = handle.db
      .select()
      .from(items)
      .where(eq(items.url, `${server.origin}/known.png`))
      .all();
    const itemId = item?.id ?? 0;
    const inspection = await inspectUrl(`${server.origin}/known.png`, tools);
    const count = () => ({
      media: handle.db.select().from(itemMedia).where(eq(itemMedia.itemId, itemId)).all().length,
      suggestions: handle.db.select().from(itemSuggestions).where(eq(itemSuggestions.itemId, itemId)).all().length,
      matches: handle.db.select().from(mediaMatches).all().length,
    });
    const before = count();
    const earlierMedia = new EarlierMedia(config.matching);
    handle.db.transaction((tx) =>
      storeTriageResult(tx, {
        itemId,
        inspection,
        now: Date.now(),
        earlierMedia,
        thresholds: config.matching.thresholds,
      }),
    );
    expect(count()).toEqual(before);
    expect(before).toMatchObject({ media: 1, suggestions: 1 });
  });
});
