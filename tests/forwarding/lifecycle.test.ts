import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditKey } from '../../src/audit/chain.ts';
import { verifyAuditChain } from '../../src/audit/verify.ts';
import type { RecheckWorker } from '../../src/forwarding/recheck-worker.ts';
import { loadSigningKey } from '../../src/key-files.ts';
import { createLogger } from '../../src/logger.ts';
import { createHousekeepingWorker } from '../../src/retention/housekeeping-worker.ts';
import { reportUrl } from '../review/fixtures.ts';
import { createClock, createTestApp, type TestApp } from '../support/app.ts';
import { assessAndConfirm } from '../support/assessments.ts';
import { addUser, asSession, sessionFor } from '../support/auth.ts';
import { row, rows } from '../support/db.ts';
import { type LoopbackServer, startLoopbackServer } from '../support/loopback-server.ts';
import { freeLoopbackPort, type SmtpSink, startSmtpSink } from '../support/smtp-sink.ts';
import { syntheticImage } from '../support/synthetic-images.ts';
import { testRecheckWorker, triageImage } from './recheck-support.ts';

/**
 * Both halves of forwarding on one item, under an injected clock: delivery (a notice through SMTP,
 * retried while the relay is down; reminders in working hours) and the re-check (a loopback site
 * that serves the image, then 404, then the image again).
 */

const dayMs = 86_400_000;
// Monday 7 December 2026, 10:00 in Brussels (UTC+1): working hours.
const mondayTen = Date.UTC(2026, 11, 7, 9, 0);

let serving: 'image' | 'missing' = 'image';
let image: Buffer;
let site: LoopbackServer;
let sink: SmtpSink | undefined;
let smtpPort: number;
let t: TestApp;
let recheck: RecheckWorker;
let housekeeping: ReturnType<typeof createHousekeepingWorker>;
const folder = mkdtempSync(join(tmpdir(), 'hotline-lifecycle-'));

beforeAll(async () => {
  image = await syntheticImage(7);
  site = await startLoopbackServer((_req, res) => {
    if (serving === 'image') res.writeHead(200, { 'content-type': 'image/png' }).end(image);
    else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  // The relay is down at first: its port is reserved, nothing listens on it yet.
  smtpPort = await freeLoopbackPort();
  t = createTestApp({
    clock: createClock(mondayTen),
    env: {
      HOTLINE_FETCH_ALLOW: site.pair,
      // A protocol that notifies the providers of home content itself: data, not code.
      HOTLINE_NOTIFY_PROVIDERS: 'home',
      HOTLINE_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      HOTLINE_MAIL_FROM: 'notices@hotline.example.test',
      HOTLINE_DROP_POLICE_DIR: join(folder, 'police'),
      HOTLINE_DROP_PARTNER_DIR: join(folder, 'partners'),
      HOTLINE_ICCAM_DIR: join(folder, 'iccam'),
    },
  });
  housekeeping = createHousekeepingWorker({
    config: t.config,
    db: t.database.db,
    logger: createLogger('silent'),
    now: t.clock.now,
    signingKey: loadSigningKey(':memory:'),
  });
  recheck = await testRecheckWorker(t);
}, 60_000);

afterAll(async () => {
  await housekeeping?.stop(0);
  await recheck?.stop(1000);
  await sink?.close();
  await site?.close();
  rmSync(folder, { recursive: true, force: true });
});

const forwardTo = (key: string) =>
  row(t.database, 'select f.* from forwards f join destinations d on d.id = f.destination_id where d.key = ?', key);
const auditOf = (forwardId: number) =>
  rows(
    t.database,
    "select action, actor, details from audit_events where object_type = 'forward' and object_id = ? order by seq",
    `${forwardId}`,
  ).map((e) => ({ action: e.action, actor: e.actor, ...JSON.parse(e.details as string) }));
const subjects = () => (sink?.messages ?? []).map((m) => m.subject?.replace(/ \[F-\d+\]$/, ''));
const pendingReminders = () =>
  rows(
    t.database,
    "select payload, available_at from jobs where type = 'forwarding.remind' and status = 'pending'",
  ).map((j) => ({ payload: JSON.parse(j.payload as string), availableAt: j.available_at }));

/** A day passes: the re-check runs first (as its hourly sweep would find it by then), then delivery and reminders. */
async function nextDay() {
  t.clock.advance(dayMs);
  await recheck.worker.drain();
  await housekeeping.drain();
}

describe('a forward to a hosting provider, from notice to removal and back', () => {
  it('notices, retries a relay that is down, reminds, sees the removal and the return, audited throughout', async () => {
    const admin = sessionFor(t, await addUser(t, 'admin'));
    const analyst = sessionFor(t, await addUser(t, 'analyst'));
    const supervisor = sessionFor(t, await addUser(t, 'supervisor'));

    // The network the site is on (fixtures: AS64500 in BE), its abuse desk added and approved.
    const added = await request(t.app)
      .post('/api/v1/destinations')
      .set(asSession(admin))
      .send({
        kind: 'hosting_provider',
        asn: 64500,
        name: 'Site host NV',
        contact: 'abuse@host.example.test',
        source: 'test',
      })
      .expect(201);
    await request(t.app)
      .patch(`/api/v1/destinations/${added.body.destination.id}`)
      .set(asSession(admin))
      .send({ approved: true })
      .expect(200);

    const url = `${site.origin}/picture.png`;
    reportUrl(t, url);
    const itemId = triageImage(t, url, url, image, {
      kind: 'ip',
      ip: '198.51.100.7',
      country: 'BE',
      asn: 64500,
      org: 'Site',
    });
    await assessAndConfirm(t.app, itemId, analyst, supervisor);
    const police = forwardTo('police');
    const provider = forwardTo('provider:AS64500');
    expect(JSON.parse(provider.reasons as string)[0]).toMatchObject({ code: 'provider_notice', asn: 64500 });

    // The relay is down: the notice fails and is retried after growing, jittered waits.
    await housekeeping.drain();
    expect(forwardTo('police').state).toBe('sent');
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 2; attempt++) {
      const failing = forwardTo('provider:AS64500');
      expect(failing).toMatchObject({ state: 'pending', delivery_attempts: attempt });
      waits.push((failing.next_delivery_at as number) - t.clock.now());
      t.clock.set(failing.next_delivery_at as number);
      if (attempt < 2) await housekeeping.drain();
    }
    expect(waits[0]).toBeGreaterThanOrEqual(45_000);
    expect(waits[0]).toBeLessThanOrEqual(60_000);
    expect(waits[1]).toBeGreaterThanOrEqual(90_000);
    expect(waits[1]).toBeLessThanOrEqual(120_000);

    // The relay is back: the notice goes out to the abuse desk.
    sink = await startSmtpSink(smtpPort);
    await housekeeping.drain();
    expect(forwardTo('provider:AS64500')).toMatchObject({ state: 'sent', delivery_attempts: 0 });
    expect(subjects()).toEqual(['Child sexual abuse material hosted on your network']);
    expect(sink.messages[0]?.recipients).toEqual(['abuse@host.example.test']);
    // The re-check's sweep finds the forwarded item and plans its first check a day later.
    await recheck.worker.drain();

    // Tuesday: still served; the first reminder goes out in working hours.
    await nextDay();
    expect(row(t.database, 'select last_verdict from item_rechecks where item_id = ?', itemId).last_verdict).toBe(
      'online',
    );
    expect(subjects().slice(1)).toEqual(['Reminder 1: child sexual abuse material still on your network']);

    // Wednesday and Thursday the site answers 404: gone twice in a row, removed as of Wednesday.
    serving = 'missing';
    await nextDay();
    const firstGoneAt = t.clock.now();
    expect(forwardTo('provider:AS64500').state).toBe('sent');
    await nextDay();
    expect(forwardTo('provider:AS64500')).toMatchObject({ state: 'removed', removed_at: firstGoneAt });
    expect(forwardTo('police')).toMatchObject({ state: 'removed', removed_at: firstGoneAt });
    // The reminder due Thursday found the forward removed: the chain ended there.
    expect(pendingReminders()).toEqual([]);
    const reminder = (n: number) => `Reminder ${n}: child sexual abuse material still on your network`;
    expect(subjects()).toEqual(['Child sexual abuse material hosted on your network', reminder(1), reminder(2)]);

    // Friday the content is served again: reopened, and the provider is reminded again at once.
    serving = 'image';
    await nextDay();
    expect(forwardTo('provider:AS64500')).toMatchObject({ state: 'still_online', removed_at: null });
    expect(forwardTo('police').state).toBe('still_online');
    expect(subjects().slice(3)).toEqual([reminder(3)]);
    expect(forwardTo('provider:AS64500').reminders).toBe(3);
    // The next one is planned for Monday 09:00 in Brussels: Saturday is no working day.
    expect(pendingReminders()).toEqual([
      { payload: { forwardId: provider.id, reminder: 4 }, availableAt: Date.UTC(2026, 11, 14, 8, 0) },
    ]);
    t.clock.advance(dayMs);
    await housekeeping.drain();
    expect(subjects()).toHaveLength(4);

    const providerAudit = auditOf(provider.id as number);
    expect(providerAudit.map((e) => e.action)).toEqual([
      'forward.create',
      'forward.delivery_failed',
      'forward.delivery_failed',
      'forward.sent',
      'forward.reminder',
      'forward.reminder',
      'forward.update',
      'forward.update',
      'forward.reminder',
    ]);
    expect(providerAudit.filter((e) => e.action === 'forward.update')).toEqual([
      expect.objectContaining({ actor: 'system', from: 'sent', to: 'removed', reason: 'http_404' }),
      expect.objectContaining({ actor: 'system', from: 'removed', to: 'still_online', reason: 'hashes_served' }),
    ]);
    expect(auditOf(police.id as number).map((e) => e.action)).toEqual([
      'forward.create',
      'forward.sent',
      'forward.update',
      'forward.update',
    ]);
    expect(verifyAuditChain(t.database.db, auditKey(t.config)).ok).toBe(true);
  });
});
