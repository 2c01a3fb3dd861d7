import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBank, insertBankEntries } from '../../src/banks/commands.ts';
import type { DatabaseHandle, Tx } from '../../src/db/client.ts';
import { hostingOf } from '../../src/hosting/lookup.ts';
import { deriveIntakeKeys, submitReport } from '../../src/intake/submit-report.ts';
import { BatchedCommits } from '../../src/jobs/batched-commits.ts';
import { EarlierMedia } from '../../src/matching/earlier-media.ts';
import type { BankMatch } from '../../src/matching/matcher.ts';
import { computeSignals, DEFAULT_SIGNAL_LIMITS, noPerceptualSignals } from '../../src/signals/compute-signals.ts';
import {
  type FetchedContent,
  type InspectedMedium,
  type Inspection,
  inspectUrl,
  type SiteHosting,
  type TriageTools,
} from '../../src/triage/pipeline.ts';
import { storeTriageResult } from '../../src/triage/store-triage-result.ts';
import { listTriagedItems } from '../../src/triage/triaged-items.ts';
import { testConfig } from '../support/config.ts';
import { createTestDatabase, rows } from '../support/db.ts';
import { atDistance, randomHex } from '../support/hashes.ts';
import { syntheticImage } from '../support/synthetic-images.ts';

// What triage writes for an inspection: state and reason, skipped media, hosting, known content.

const config = testConfig();
const digest = (algorithm: string, n: number) => createHash(algorithm).update(`medium ${n}`).digest('hex');
const siteHosting: SiteHosting = { kind: 'ip', ip: '198.51.100.7', country: 'BE', asn: 64500, org: 'Site' };
const cdnHosting: SiteHosting = { kind: 'ip', ip: '203.0.113.9', country: 'NL', asn: 64501, org: 'CDN' };

let handle: DatabaseHandle;
let entries: { national: BankMatch; notIllegal: BankMatch; partner: BankMatch };
let itemIds: Map<string, number>;

beforeEach(() => {
  handle = createTestDatabase();
  const urls = ['https://example.test/a', 'https://example.test/b', 'https://example.test/c'];
  submitReport(
    { db: handle.db, keys: deriveIntakeKeys(config.secretKey), now: () => 0, fetchAllow: [] },
    { urls, category: 'csam', siteType: 'website', mediaType: 'image' },
  );
  itemIds = new Map(listTriagedItems(handle.db, { limit: 10 }).map((item) => [new URL(item.url).pathname, item.id]));
  entries = handle.db.transaction((tx) => {
    const hotline = createBank(tx, { name: 'hotline' }, 0);
    const partner = createBank(tx, { name: 'partner' }, 0);
    const row = (value: string, label: string) => ({
      line: 1,
      signalType: 'sha256' as const,
      value,
      label,
      sourceRef: null,
    });
    insertBankEntries(
      tx,
      hotline,
      [row(digest('sha256', 1), 'national/real_abuse'), row(digest('sha256', 2), 'not_illegal')],
      0,
    );
    insertBankEntries(tx, partner, [row(digest('sha256', 3), 'baseline/real_abuse')], 0);
    const match = (bank: string, entryId: number, label: string, value: string): BankMatch => ({
      bank,
      label,
      entryId,
      signalType: 'sha256',
      value,
      distance: 0,
      variant: null,
    });
    return {
      national: match('hotline', 1, 'national/real_abuse', digest('sha256', 1)),
      notIllegal: match('hotline', 2, 'not_illegal', digest('sha256', 2)),
      partner: match('partner', 3, 'baseline/real_abuse', digest('sha256', 3)),
    };
  });
});
afterEach(() => handle.close());

function medium(n: number, matches: BankMatch[] = []): InspectedMedium {
  return {
    url: `https://cdn.example.test/${n}.jpg`,
    size: 1000 + n,
    signals: {
      sha256: digest('sha256', n),
      sha1: digest('sha1', n),
      md5: digest('md5', n),
      mediaType: 'image/jpeg',
      ...noPerceptualSignals,
      width: 10,
      height: 10,
    },
    refusal: null,
    matches,
    hosting: cdnHosting,
    tlsInvalid: false,
  };
}

function page(media: InspectedMedium[], skipped: Inspection['skipped'] = []): Inspection {
  const url = 'https://example.test/a';
  const fetched = { url, finalUrl: url, httpStatus: 200, hosting: siteHosting, tlsInvalid: false };
  return { ...fetched, page: true, media, skipped, error: null };
}

function store(path: string, inspection: Inspection) {
  const itemId = itemIds.get(path) ?? 0;
  const earlierMedia = new EarlierMedia(config.matching);
  handle.db.transaction((tx) =>
    storeTriageResult(tx, { itemId, inspection, now: 1, earlierMedia, thresholds: config.matching.thresholds }),
  );
  return listTriagedItems(handle.db, { limit: 10 }).find((item) => item.id === itemId);
}

/**
 * Tools that serve `image` at `finalUrl` as if through a SOCKS proxy that resolved the name (no
 * peer address of our own), with `tlsInvalid` as the fetcher's certificate verdict.
 */
function imageTools(image: Buffer, finalUrl: string, tlsInvalid: string | null = null): TriageTools {
  const hash = (algorithm: string) => createHash(algorithm).update(image).digest('hex');
  return {
    fetch: async (url): Promise<FetchedContent> => ({
      url,
      finalUrl,
      status: 200,
      remoteAddress: '',
      viaProxy: true,
      mediaType: 'image/png',
      bytes: Buffer.from(image),
      exact: { sha256: hash('sha256'), sha1: hash('sha1'), md5: hash('md5'), size: image.length },
      tlsInvalid,
    }),
    computeSignals: (bytes) => computeSignals(bytes, DEFAULT_SIGNAL_LIMITS),
    match: () => [],
    lookupHosting: (reached) =>
      hostingOf(reached, {
        lookup: () => {
          throw new Error('no address to look up');
        },
      }),
    extractPageMedia: () => ({ urls: [], truncated: false }),
    maxMediaPerPage: 50,
  };
}

describe('storeTriageResult', () => {
  it('a page whose every medium matched our own bank exactly is known', () => {
    const item = store('/a', page([medium(1, [entries.national]), medium(1, [entries.national])]));
    expect(item).toMatchObject({ state: 'known', suggestion: { label: 'national/real_abuse' } });
  });

  it('one medium matched and the others failed: ready, incomplete, the failures kept', () => {
    const skipped = Array.from({ length: 9 }, (_, i) => ({
      url: `https://cdn.example.test/x${i}`,
      reason: 'timeout' as const,
    }));
    const item = store('/a', page([medium(1, [entries.national])], skipped));
    expect(item).toMatchObject({ state: 'ready', stateReason: 'media_unreachable', suggestion: null });
    expect(item?.skipped).toEqual(skipped);
  });

  it('a page whose every medium failed is unreachable, not ready with no media', () => {
    const skipped = [{ url: 'https://cdn.example.test/gone.jpg', reason: 'http_status' as const }];
    expect(store('/a', page([], skipped))).toMatchObject({
      state: 'unreachable',
      stateReason: 'media_unreachable',
      skipped,
    });
    expect(store('/b', page([]))).toMatchObject({ state: 'ready', stateReason: 'no_media', skipped: [] });
  });

  it('a page cut at the media limit is ready, marked so, and never known', () => {
    const cut = [{ url: 'https://example.test/a', reason: 'media_limit' as const }];
    const item = store('/a', page([medium(1, [entries.national])], cut));
    expect(item).toMatchObject({ state: 'ready', stateReason: 'media_limit', suggestion: null });
    const alsoFailed = [...cut, { url: 'https://cdn.example.test/x.jpg', reason: 'timeout' as const }];
    expect(store('/b', page([medium(1, [entries.national])], alsoFailed))).toMatchObject({
      state: 'ready',
      stateReason: 'media_unreachable',
    });
  });

  it('matches that are not_illegal, or in a partner bank, do not make an item known', () => {
    expect(store('/a', page([medium(2, [entries.notIllegal])]))).toMatchObject({ state: 'ready', suggestion: null });
    expect(store('/b', page([medium(3, [entries.partner])]))).toMatchObject({ state: 'ready', suggestion: null });
    expect(rows(handle, 'select * from item_suggestions')).toEqual([]);
  });

  it("stores each medium's hosting beside the page's", () => {
    const item = store('/a', page([medium(4)]));
    expect(item?.hosting).toEqual(siteHosting);
    expect(item?.media.map((m) => m.hosting)).toEqual([{ ip: '203.0.113.9', country: 'NL', asn: 64501, org: 'CDN' }]);
  });

  it('triaging again replaces the skipped media too', () => {
    store('/a', page([], [{ url: 'https://cdn.example.test/gone.jpg', reason: 'timeout' }]));
    expect(store('/a', page([medium(5)]))).toMatchObject({ state: 'ready', stateReason: null, skipped: [] });
    expect(rows(handle, 'select * from item_skipped_media')).toEqual([]);
  });

  it("triaging again moves other items' duplicate links to the rows holding the same file", () => {
    const first = store('/a', page([medium(1)]))?.media[0];
    const copy = store('/b', page([medium(1)]))?.media[0];
    expect(copy?.duplicateOf).toEqual({ mediaId: first?.id, signal: 'sha256', distance: 0 });
    // /a again, the same file now second on the page: /b's link follows it to its new row.
    const again = store('/a', page([medium(7), medium(1)]));
    const moved = listTriagedItems(handle.db, { limit: 10 }).find((item) => item.url.endsWith('/b'))?.media[0];
    expect(again?.media[1]?.id).not.toBe(first?.id);
    expect(moved?.duplicateOf).toEqual({ mediaId: again?.media[1]?.id, signal: 'sha256', distance: 0 });
    // /a no longer serves that file: the link is cleared, signal and distance with it.
    store('/a', page([medium(8)]));
    const copyRow =
      'select duplicate_of_media_id as id, duplicate_signal as signal, duplicate_distance as distance from item_media where id = ?';
    expect(rows(handle, copyRow, copy?.id)).toEqual([{ id: null, signal: null, distance: null }]);
    const cleared = listTriagedItems(handle.db, { limit: 10 }).find((item) => item.url.endsWith('/b'))?.media[0];
    expect(cleared?.duplicateOf).toBeNull();
  });

  it('records a certificate that did not verify on the item and its medium, fetched and hashed anyway', async () => {
    const image = await syntheticImage(62);
    const url = 'https://example.test/c';
    store('/c', await inspectUrl(url, imageTools(image, url, 'CERT_HAS_EXPIRED')));
    store('/b', await inspectUrl('https://example.test/b', imageTools(image, 'https://example.test/b')));
    const triaged = listTriagedItems(handle.db, { limit: 10 });
    const c = triaged.find((item) => item.url === url);
    expect(c).toMatchObject({ state: 'ready', tlsInvalid: true });
    expect(c?.media).toMatchObject([{ tlsInvalid: true, sha256: createHash('sha256').update(image).digest('hex') }]);
    const b = triaged.find((item) => item.url.endsWith('/b'));
    expect(b).toMatchObject({ tlsInvalid: false, media: [{ tlsInvalid: false }] });
  });

  it('stores .onion hosting and hosting a proxy resolved', async () => {
    const image = await syntheticImage(61);
    const fakeTools = (finalUrl: string) => imageTools(image, finalUrl);
    const onion = 'http://2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion/a.png';
    store('/a', await inspectUrl(onion, fakeTools(onion)));
    store('/b', await inspectUrl('https://example.test/b', fakeTools('https://example.test/b')));
    expect(rows(handle, 'select url, hosting_kind as kind, hosting_ip as ip from items order by id')).toEqual([
      { url: 'https://example.test/a', kind: 'onion', ip: null },
      { url: 'https://example.test/b', kind: 'proxy', ip: null },
      { url: 'https://example.test/c', kind: null, ip: null },
    ]);
  });
});

describe('storeTriageResult in a batch of commits', () => {
  /** A medium of its own file showing the picture `pdq` (detailed enough to count). */
  const picture = (n: number, pdq: string): InspectedMedium => {
    const plain = medium(n);
    return { ...plain, signals: { ...plain.signals, pdq, pdqQuality: 100 } };
  };
  const duplicateOf = (path: string) =>
    rows(
      handle,
      'select duplicate_of_media_id as id, duplicate_signal as signal from item_media where item_id = ?',
      itemIds.get(path),
    )[0];

  it('finds a duplicate stored earlier in its batch, and forgets it when the batch fails to commit', async () => {
    const earlierMedia = new EarlierMedia(config.matching);
    earlierMedia.refresh(handle.db);
    const storeIn = (tx: Tx, path: string, shown: InspectedMedium) =>
      storeTriageResult(tx, {
        itemId: itemIds.get(path) ?? 0,
        inspection: page([shown]),
        now: 1,
        earlierMedia,
        thresholds: config.matching.thresholds,
      });
    const x = randomHex(32);
    const y = randomHex(32);

    // The worker's batch: /b duplicates /a, stored just before it in the same transaction; then
    // the commit fails (here: the claim that ends the batch throws outside its savepoint).
    let seenInBatch: unknown;
    let batches = 0;
    const commits = new BatchedCommits(handle.db, {
      last: () => {
        batches += 1;
        if (batches === 1) throw new Error('disk full');
        return () => {};
      },
    });
    const outcomes = await Promise.all([
      commits.commit((tx) => storeIn(tx, '/a', picture(10, x))),
      commits.commit((tx) => {
        storeIn(tx, '/b', picture(11, atDistance(x, 2)));
        seenInBatch = duplicateOf('/b');
      }),
    ]);
    expect(outcomes.map((outcome) => outcome.ok)).toEqual([false, false]);
    const rolledBackId = (seenInBatch as { id: number } | undefined)?.id;
    expect(seenInBatch).toEqual({ id: rolledBackId, signal: 'pdq' });
    expect(rows(handle, 'select id from item_media')).toEqual([]);

    // The next stored medium gets the rolled-back row's id, with another picture.
    earlierMedia.refresh(handle.db);
    expect(await commits.commit((tx) => storeIn(tx, '/c', picture(12, y)))).toEqual({ ok: true });
    expect(rows(handle, 'select id from item_media')).toEqual([{ id: rolledBackId }]);

    // Picture x was never stored: no duplicate. Picture y was: found by PDQ.
    earlierMedia.refresh(handle.db);
    expect(await commits.commit((tx) => storeIn(tx, '/b', picture(13, x)))).toEqual({ ok: true });
    expect(duplicateOf('/b')).toEqual({ id: null, signal: null });
    earlierMedia.refresh(handle.db);
    expect(await commits.commit((tx) => storeIn(tx, '/a', picture(14, atDistance(y, 3))))).toEqual({ ok: true });
    expect(duplicateOf('/a')).toEqual({ id: rolledBackId, signal: 'pdq' });
  });
});
