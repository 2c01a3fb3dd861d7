import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { deriveKey } from '../../src/crypto/seal.ts';
import { deriveIntakeKeys, submitReport } from '../../src/intake/submit-report.ts';
import { combineItemStatuses, statusDelayMs, visibleItemStatus } from '../../src/review/reporter-status.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { assessAndConfirm, illegalNational } from '../support/assessments.ts';
import { addUser, asSession, sessionFor, type TestUser } from '../support/auth.ts';
import { row } from '../support/db.ts';
import { medium, reportUrl, triageUrl } from './fixtures.ts';

const hour = 3_600_000;
const settings = { statusDelayHours: 24, statusDelayRandomHours: 24 };

describe('statusDelayMs', () => {
  const key = Buffer.alloc(32, 7);
  it('is 24 hours plus a part under 24 hours, the same for a report every time, different across reports', () => {
    const delays = Array.from({ length: 50 }, (_, id) => statusDelayMs(key, id + 1, settings));
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(24 * hour);
      expect(delay).toBeLessThan(48 * hour);
    }
    expect(statusDelayMs(key, 1, settings)).toBe(delays[0]);
    expect(new Set(delays).size).toBe(50);
    expect(statusDelayMs(Buffer.alloc(32, 8), 1, settings)).not.toBe(delays[0]);
    expect(statusDelayMs(key, 1, { statusDelayHours: 2, statusDelayRandomHours: 0 })).toBe(2 * hour);
  });
});

describe('visibleItemStatus', () => {
  const times = { inReviewAt: 10 * hour, decidedAt: 20 * hour };
  it('shows each step a delay after it, and a step made before the report as made at the report', () => {
    expect(visibleItemStatus(times, 0, 24 * hour, 34 * hour - 1)).toBe('received');
    expect(visibleItemStatus(times, 0, 24 * hour, 34 * hour)).toBe('in_review');
    expect(visibleItemStatus(times, 0, 24 * hour, 44 * hour)).toBe('closed');
    // Reported at 100 h, long after the decision: nothing shows before 124 h.
    expect(visibleItemStatus(times, 100 * hour, 24 * hour, 124 * hour - 1)).toBe('received');
    expect(visibleItemStatus(times, 100 * hour, 24 * hour, 124 * hour)).toBe('closed');
  });
});

describe('combineItemStatuses', () => {
  it('is closed only once every address is decided, in review once any was touched, else received', () => {
    expect(combineItemStatuses([])).toBe('received');
    expect(combineItemStatuses(['received', 'received'])).toBe('received');
    expect(combineItemStatuses(['received', 'in_review'])).toBe('in_review');
    expect(combineItemStatuses(['received', 'closed'])).toBe('in_review');
    expect(combineItemStatuses(['in_review', 'closed'])).toBe('in_review');
    expect(combineItemStatuses(['closed', 'closed'])).toBe('closed');
  });
});

describe('the status a reporter sees, end to end', () => {
  let t: TestApp;
  let analyst: TestUser;
  let supervisor: TestUser;
  /** The delay of the report made last. */
  const lastReportDelay = () => {
    const reportId = row(t.database, 'select max(id) as id from reports').id as number;
    return statusDelayMs(deriveKey(t.config.secretKey, 'status-delay'), reportId, settings);
  };
  const statusOf = async (receipt: string) =>
    (await request(t.app).post('/api/v1/status').send({ receipt }).expect(200)).body.status;
  /** The analyst claims the next item of the queue. */
  const claimNext = () =>
    request(t.app)
      .post('/api/v1/queue/next')
      .set(asSession(sessionFor(t, analyst)))
      .send({})
      .expect(200);
  /** The analyst assesses the item and the supervisor confirms it. */
  const decide = (itemId: number, body: object) =>
    assessAndConfirm(t.app, itemId, sessionFor(t, analyst), sessionFor(t, supervisor), body);

  beforeEach(async () => {
    t = createTestApp();
    analyst = await addUser(t, 'analyst');
    supervisor = await addUser(t, 'supervisor');
  });

  it('received, in_review after a claim, closed after the confirmation: each only after the delay', async () => {
    const url = 'https://a.example.test/';
    const receipt = reportUrl(t, url);
    const delay = lastReportDelay();
    const reportedAt = t.clock.now();
    const itemId = triageUrl(t, url, [medium('a')]);
    t.clock.advance(hour);
    await claimNext();
    const claimedAt = t.clock.now();
    expect(await statusOf(receipt)).toBe('received');
    t.clock.set(claimedAt + delay - 1);
    expect(await statusOf(receipt)).toBe('received');
    t.clock.set(claimedAt + delay);
    expect(await statusOf(receipt)).toBe('in_review');

    const legal = { legalStatus: 'not_illegal' };
    await decide(itemId, legal);
    const decidedAt = t.clock.now();
    expect(await statusOf(receipt)).toBe('in_review');
    t.clock.set(decidedAt + delay);
    expect(await statusOf(receipt)).toBe('closed');
    expect(decidedAt).toBeGreaterThan(reportedAt);
  });

  it('a site operator reporting an address already decided learns nothing at once', async () => {
    const url = 'https://a.example.test/';
    reportUrl(t, url);
    const itemId = triageUrl(t, url, [medium('a')]);
    await decide(itemId, { legalStatus: 'not_illegal' });
    t.clock.advance(10 * 24 * hour);
    const receipt = reportUrl(t, url);
    const delay = lastReportDelay();
    const reportedAt = t.clock.now();
    expect(await statusOf(receipt)).toBe('received');
    t.clock.set(reportedAt + delay - 1);
    expect(await statusOf(receipt)).toBe('received');
    t.clock.set(reportedAt + delay);
    expect(await statusOf(receipt)).toBe('closed');
  });

  it('follows the status delay set by an admin', async () => {
    const admin = await addUser(t, 'admin');
    await request(t.app)
      .patch('/api/v1/settings')
      .set(asSession(sessionFor(t, admin)))
      .send({ statusDelayHours: 1, statusDelayRandomHours: 0 })
      .expect(200);
    const url = 'https://a.example.test/';
    const receipt = reportUrl(t, url);
    triageUrl(t, url, [medium('a')]);
    await claimNext();
    t.clock.advance(hour - 1);
    expect(await statusOf(receipt)).toBe('received');
    t.clock.advance(1);
    expect(await statusOf(receipt)).toBe('in_review');
  });

  it('keeps the delay in force when the report arrived: lowering it later shows nothing sooner, raising it holds back', async () => {
    const admin = await addUser(t, 'admin');
    const setDelay = (change: object) =>
      request(t.app)
        .patch('/api/v1/settings')
        .set(asSession(sessionFor(t, admin)))
        .send(change)
        .expect(200);
    await setDelay({ statusDelayHours: 30, statusDelayRandomHours: 0 });
    const early = reportUrl(t, 'https://a.example.test/');
    triageUrl(t, 'https://a.example.test/', [medium('a')]);
    expect(row(t.database, 'select status_delay_hours, status_delay_random_hours from reports')).toEqual({
      status_delay_hours: 30,
      status_delay_random_hours: 0,
    });
    await claimNext();
    const claimedAt = t.clock.now();
    await setDelay({ statusDelayHours: 1 });
    const late = reportUrl(t, 'https://a.example.test/');
    t.clock.set(claimedAt + 2 * hour);
    // Reported after the change: one hour. Reported before it: still thirty.
    expect(await statusOf(late)).toBe('in_review');
    expect(await statusOf(early)).toBe('received');
    t.clock.set(claimedAt + 30 * hour - 1);
    expect(await statusOf(early)).toBe('received');
    t.clock.set(claimedAt + 30 * hour);
    expect(await statusOf(early)).toBe('in_review');
    // Raised above what a report was promised: the larger delay holds.
    await setDelay({ statusDelayHours: 40 });
    expect(await statusOf(early)).toBe('received');
    expect(await statusOf(late)).toBe('received');
  });

  it('a report made under the configured default keeps it when an admin first lowers the delay', async () => {
    const receipt = reportUrl(t, 'https://a.example.test/');
    const delay = lastReportDelay();
    expect(row(t.database, 'select status_delay_hours from reports').status_delay_hours).toBeNull();
    triageUrl(t, 'https://a.example.test/', [medium('a')]);
    await claimNext();
    const claimedAt = t.clock.now();
    await request(t.app)
      .patch('/api/v1/settings')
      .set(asSession(sessionFor(t, await addUser(t, 'admin'))))
      .send({ statusDelayHours: 0, statusDelayRandomHours: 0 })
      .expect(200);
    expect(await statusOf(receipt)).toBe('received');
    t.clock.set(claimedAt + delay - 1);
    expect(await statusOf(receipt)).toBe('received');
    t.clock.set(claimedAt + delay);
    expect(await statusOf(receipt)).toBe('in_review');
  });

  it('a report of two addresses: one confirmed illegal and forwarded, the other undecided, is in review; closed once both are decided', async () => {
    const deps = {
      db: t.database.db,
      keys: deriveIntakeKeys(t.config.secretKey),
      now: t.clock.now,
      fetchAllow: t.config.fetch.allow,
    };
    const { receipt } = submitReport(deps, {
      urls: ['https://a.example.test/', 'https://b.example.test/'],
      category: 'csam',
      siteType: 'website',
      mediaType: 'image',
    });
    const delay = lastReportDelay();
    const first = triageUrl(t, 'https://a.example.test/', [medium('a')]);
    const second = triageUrl(t, 'https://b.example.test/', [medium('b')]);
    const confirmed = await decide(first, illegalNational);
    expect(confirmed.body.assessment.forwarded).toBeGreaterThan(0);
    t.clock.advance(delay);
    expect(await statusOf(receipt)).toBe('in_review');
    await decide(second, { legalStatus: 'not_illegal' });
    expect(await statusOf(receipt)).toBe('in_review');
    t.clock.advance(delay);
    expect(await statusOf(receipt)).toBe('closed');
  });
});
