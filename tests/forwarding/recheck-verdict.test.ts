import { describe, expect, it } from 'vitest';
import {
  nextRecheckAt,
  observeRecheck,
  recheckIntervalMs,
  recheckJitterMs,
  recheckStep,
} from '../../src/forwarding/recheck-verdict.ts';
import type { Inspection } from '../../src/triage/pipeline.ts';
import { medium } from '../review/fixtures.ts';

const recorded = [medium('a').signals.sha256, medium('b').signals.sha256];
const served = (...seeds: string[]) => seeds.map((seed) => medium(seed));
const inspection = (over: Partial<Inspection>): Pick<Inspection, 'error' | 'httpStatus' | 'media' | 'skipped'> => ({
  error: null,
  httpStatus: 200,
  media: [],
  skipped: [],
  ...over,
});

describe('observeRecheck', () => {
  it.each([
    [{ error: 'http_status', httpStatus: 404 }, 'gone', 'http_404'],
    [{ error: 'http_status', httpStatus: 410 }, 'gone', 'http_410'],
    [{ error: 'dns', httpStatus: null }, 'gone', 'dns'],
    [{ error: 'http_status', httpStatus: 503 }, 'unreachable', 'http_status_503'],
    [{ error: 'http_status', httpStatus: 403 }, 'unreachable', 'http_status_403'],
    [{ error: 'timeout', httpStatus: null }, 'unreachable', 'timeout'],
    [{ error: 'refused', httpStatus: null }, 'unreachable', 'refused'],
  ] as const)('reads %j as %s (%s)', (failure, verdict, reason) => {
    expect(observeRecheck(inspection(failure), recorded)).toEqual({ verdict, reason });
  });

  it('is online while any recorded hash is served, gone once none is', () => {
    expect(observeRecheck(inspection({ media: served('x', 'b') }), recorded)).toEqual({
      verdict: 'online',
      reason: 'hashes_served',
    });
    // The page answers, but shows other pictures (or a "removed" placeholder): the content is gone.
    expect(observeRecheck(inspection({ media: served('x') }), recorded)).toEqual({
      verdict: 'gone',
      reason: 'hashes_not_served',
    });
    // Media that are no longer there (404, 410, no DNS) are not served either.
    for (const absent of [
      { reason: 'http_status', httpStatus: 404 },
      { reason: 'http_status', httpStatus: 410 },
      { reason: 'dns' },
    ] as const) {
      const skipped = [{ url: 'https://cdn.example.test/a.jpg', ...absent }];
      expect(observeRecheck(inspection({ skipped }), recorded)).toEqual({
        verdict: 'gone',
        reason: 'hashes_not_served',
      });
    }
  });

  it('reads a medium refused, failing or throttled (403, 5xx, 429, no status) as proving nothing', () => {
    for (const httpStatus of [403, 429, 500, 503, undefined]) {
      const skipped = [{ url: 'https://cdn.example.test/a.jpg', reason: 'http_status' as const, httpStatus }];
      expect(observeRecheck(inspection({ skipped }), recorded)).toEqual({
        verdict: 'unreachable',
        reason: 'media_unchecked',
      });
    }
  });

  it('counts a recorded medium still served at its own address, however the page answers', () => {
    const a = { url: 'https://cdn.example.test/a.jpg', sha256: recorded[0] as string, error: null, httpStatus: 200 };
    // The page no longer links the picture, or is gone altogether: the host still serves it.
    expect(observeRecheck(inspection({ media: served('x') }), recorded, [a])).toEqual({
      verdict: 'online',
      reason: 'hashes_served',
    });
    expect(observeRecheck(inspection({ error: 'http_status', httpStatus: 404 }), recorded, [a]).verdict).toBe('online');
    // Other content, or a 404 there: gone.
    const other = { ...a, sha256: medium('x').signals.sha256 };
    const missing = { ...a, sha256: null, error: 'http_status' as const, httpStatus: 404 };
    expect(observeRecheck(inspection({}), recorded, [other, missing]).verdict).toBe('gone');
    expect(observeRecheck(inspection({ error: 'dns', httpStatus: null }), recorded, [missing]).verdict).toBe('gone');
    // A recorded medium whose address answers 503 may still be there: no conclusion, even with the page gone.
    const busy = { ...missing, httpStatus: 503 };
    for (const page of [{}, { error: 'http_status', httpStatus: 410 }] as const) {
      expect(observeRecheck(inspection(page), recorded, [busy])).toEqual({
        verdict: 'unreachable',
        reason: 'media_unchecked',
      });
    }
  });

  it('concludes nothing when a recorded medium may be among those not looked at', () => {
    for (const reason of ['timeout', 'media_limit', 'too_large'] as const) {
      const skipped = [{ url: 'https://cdn.example.test/a.jpg', reason }];
      expect(observeRecheck(inspection({ skipped }), recorded)).toEqual({
        verdict: 'unreachable',
        reason: 'media_unchecked',
      });
    }
  });

  it('with no recorded hash (a page of text), an answer is enough to be online', () => {
    expect(observeRecheck(inspection({}), [])).toEqual({ verdict: 'online', reason: 'served' });
    expect(observeRecheck(inspection({ error: 'http_status', httpStatus: 410 }), []).verdict).toBe('gone');
  });
});

describe('recheckStep', () => {
  const gone = { verdict: 'gone', reason: 'http_404' } as const;
  const online = { verdict: 'online', reason: 'hashes_served' } as const;
  const unreachable = { verdict: 'unreachable', reason: 'timeout' } as const;
  const fresh = { goneStreak: 0, goneSince: null };

  it('removes on the second gone in a row, as of the first', () => {
    const first = recheckStep(fresh, gone, 100);
    expect(first).toEqual({ goneStreak: 1, goneSince: 100, removed: false, online: false });
    expect(recheckStep(first, gone, 200)).toEqual({ goneStreak: 2, goneSince: 100, removed: true, online: false });
  });

  it('lets an unreachable check neither count nor reset, and a served one reset', () => {
    const first = recheckStep(fresh, gone, 100);
    const outage = recheckStep(first, unreachable, 200);
    expect(outage).toEqual({ goneStreak: 1, goneSince: 100, removed: false, online: false });
    expect(recheckStep(outage, online, 300)).toEqual({ goneStreak: 0, goneSince: null, removed: false, online: true });
    expect(recheckStep(recheckStep(outage, online, 300), gone, 400).removed).toBe(false);
  });
});

describe('nextRecheckAt', () => {
  it('is a day later, give or take the jitter', () => {
    expect(nextRecheckAt(0, 0.5)).toBe(recheckIntervalMs);
    expect(nextRecheckAt(0, 0)).toBe(recheckIntervalMs - recheckJitterMs);
    expect(nextRecheckAt(0, 1)).toBe(recheckIntervalMs + recheckJitterMs);
  });
});
