import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBank, insertBankEntries } from '../../src/banks/commands.ts';
import { deriveIntakeKeys, submitReport } from '../../src/intake/submit-report.ts';
import { createLogger } from '../../src/logger.ts';
import { Matcher } from '../../src/matching/matcher.ts';
import { computeSignals } from '../../src/signals/compute-signals.ts';
import { readMatchThresholds } from '../../src/triage/match-thresholds.ts';
import { createTriageTools, matchableSignals } from '../../src/triage/triage-tools.ts';
import { createTriageWorker } from '../../src/triage/triage-worker.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { addUser, asSession, sessionFor } from '../support/auth.ts';
import { rows } from '../support/db.ts';
import { type LoopbackServer, startLoopbackServer } from '../support/loopback-server.ts';
import { syntheticImage } from '../support/synthetic-images.ts';

const limits = { maxBytes: 20 * 1024 * 1024, maxPixels: 40_000_000 };
let server: LoopbackServer;
let copy: Buffer;

beforeAll(async () => {
  copy = await syntheticImage(11, { format: 'jpeg', scale: 0.7, quality: 60 });
  server = await startLoopbackServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(copy);
  });
});
afterAll(() => server.close());

describe('readMatchThresholds', () => {
  it('gives the configured distances, each stored setting over its default, and ignores a stored value out of range', () => {
    const t = createTestApp();
    const defaults = { pdq: 31, blockhash: 10 };
    expect(readMatchThresholds(t.database.db, defaults)).toEqual(defaults);
    const store = t.database.sqlite.prepare('insert into review_settings (key, value, updated_at) values (?, ?, 0)');
    store.run('pdqThreshold', '12');
    expect(readMatchThresholds(t.database.db, defaults)).toEqual({ pdq: 12, blockhash: 10 });
    store.run('blockhashThreshold', '500');
    expect(readMatchThresholds(t.database.db, defaults)).toEqual({ pdq: 12, blockhash: 10 });
  });
});

describe('triage matches at the distance an admin sets', () => {
  let t: TestApp;
  /** The PDQ distance between the served copy and the original the partner bank holds. */
  let distance: number;

  beforeAll(async () => {
    t = createTestApp({ env: { HOTLINE_FETCH_ALLOW: server.pair } });
    const original = await computeSignals(await syntheticImage(11), limits);
    t.database.db.transaction((tx) => {
      const bank = createBank(tx, { name: 'partner' }, 0);
      const entry = {
        line: 1,
        signalType: 'pdq' as const,
        value: original.pdq as string,
        label: 'national/real_abuse',
      };
      insertBankEntries(tx, bank, [{ ...entry, sourceRef: null }], 0);
    });
    const copySignals = await computeSignals(copy, limits);
    const found = new Matcher(t.database.db, t.config.matching).match(matchableSignals(copySignals), {
      pdq: 128,
      blockhash: 0,
    });
    distance = found[0]?.distance ?? -1;
  });

  /** Reports `path`, runs the real worker (real tools, real matcher) over it, and gives its matches. */
  async function triage(path: string) {
    const deps = {
      db: t.database.db,
      keys: deriveIntakeKeys(t.config.secretKey),
      now: t.clock.now,
      fetchAllow: [server.pair],
    };
    submitReport(deps, {
      urls: [`${server.origin}${path}`],
      category: 'csam',
      siteType: 'website',
      mediaType: 'image',
    });
    const built = await createTriageTools(t.config, t.database.db);
    const running = await createTriageWorker({
      config: t.config,
      db: t.database.db,
      logger: createLogger('silent'),
      now: t.clock.now,
      tools: built.tools,
    });
    try {
      await running.worker.drain();
    } finally {
      await running.stop(0);
      await built.close();
    }
    return rows(
      t.database,
      `select m.distance from media_matches m join item_media im on im.id = m.media_id
        join items i on i.id = im.item_id where i.url = ?`,
      `${server.origin}${path}`,
    );
  }

  it('a copy just beyond the distance does not match; once the admin widens it to the copy’s distance, it does', async () => {
    expect(distance).toBeGreaterThan(0);
    const admin = await addUser(t, 'admin');
    const setPdq = (pdqThreshold: number) =>
      request(t.app)
        .patch('/api/v1/settings')
        .set(asSession(sessionFor(t, admin)))
        .send({ pdqThreshold })
        .expect(200);

    await setPdq(distance - 1);
    expect(await triage('/first.jpg')).toEqual([]);
    await setPdq(distance);
    expect(await triage('/second.jpg')).toEqual([{ distance }]);
  });
});
