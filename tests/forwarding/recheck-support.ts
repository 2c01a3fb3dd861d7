import { createHash } from 'node:crypto';
import { createRecheckWorker } from '../../src/forwarding/recheck-worker.ts';
import { createLogger } from '../../src/logger.ts';
import type { InspectedMedium } from '../../src/triage/pipeline.ts';
import { medium, triageUrl } from '../review/fixtures.ts';
import type { TestApp } from '../support/app.ts';

/** The re-check worker on the test app's database and clock, silent, its jitter fixed at the middle. */
export function testRecheckWorker(t: TestApp) {
  return createRecheckWorker({
    config: t.config,
    db: t.database.db,
    logger: createLogger('silent'),
    now: t.clock.now,
    random: () => 0.5,
  });
}

/**
 * Triage of the reported page `pageUrl`: it showed one medium, at `mediumUrl`, whose exact hash is
 * that of `image` (only hashes are stored). Returns the item id.
 */
export function triageImage(
  t: TestApp,
  pageUrl: string,
  mediumUrl: string,
  image: Buffer,
  hosting?: InspectedMedium['hosting'],
): number {
  const triaged = medium('picture');
  const sha256 = createHash('sha256').update(image).digest('hex');
  return triageUrl(t, pageUrl, [
    { ...triaged, url: mediumUrl, signals: { ...triaged.signals, sha256 }, ...(hosting ? { hosting } : {}) },
  ]);
}
