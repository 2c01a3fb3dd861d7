import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyPackage } from '../../../src/forwarding/export/verify-package.ts';
import { markBackOnline, markRemoved } from '../../../src/forwarding/forwards.ts';
import { claimJob } from '../../../src/jobs/queue.ts';
import { loadSigningKey } from '../../../src/key-files.ts';
import { createLogger } from '../../../src/logger.ts';
import { createHousekeepingWorker } from '../../../src/retention/housekeeping-worker.ts';
import { medium, reportAndTriage } from '../../review/fixtures.ts';
import { createClock, createTestApp, type TestApp } from '../../support/app.ts';
import { assessAndConfirm } from '../../support/assessments.ts';
import { addUser, asSession, sessionFor, type TestUser } from '../../support/auth.ts';
import { row, rows } from '../../support/db.ts';
import { freeLoopbackPort, type SmtpSink, startSmtpSink } from '../../support/smtp-sink.ts';
import { readZipEntries } from '../zip-entries.ts';

const dir = mkdtempSync(join(tmpdir(), 'hotline-delivery-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Friday 4 December 2026, 16:00 in Brussels (UTC+1).
const friday = Date.UTC(2026, 11, 4, 15, 0);
const mondayNine = Date.UTC(2026, 11, 7, 8, 0);
const key = loadSigningKey(':memory:');

let t: TestApp;
let analyst: TestUser;
let supervisor: TestUser;
let admin: TestUser;
let sink: SmtpSink | undefined;
let workers: ReturnType<typeof createHousekeepingWorker>[] = [];
let folder: string;

async function setUp(smtpUrl: string, env: Record<string, string> = {}) {
  folder = mkdtempSync(join(dir, 'run-'));
  t = createTestApp({
    clock: createClock(friday),
    env: {
      HOTLINE_SMTP_URL: smtpUrl,
      HOTLINE_MAIL_FROM: 'notices@hotline.example.test',
      HOTLINE_NOTIFY_PROVIDERS: 'home',
      HOTLINE_DROP_POLICE_DIR: join(folder, 'police'),
      HOTLINE_DROP_PARTNER_DIR: join(folder, 'partners'),
      HOTLINE_ICCAM_DIR: join(folder, 'iccam'),
      ...env,
    },
  });
  analyst = await addUser(t, 'analyst');
  supervisor = await addUser(t, 'supervisor');
  admin = await addUser(t, 'admin');
  // The page's network (fixtures: AS64500 in BE): its abuse desk, approved, reads Dutch.
  t.database.sqlite
    .prepare(
      `insert into destinations (key, kind, country, asn, name, contact, approved, source, language, updated_at)
       values ('provider:AS64500', 'hosting_provider', 'BE', 64500, 'Site host', 'abuse@host.example.test', 1, 'test', 'nl', ?)`,
    )
    .run(friday);
}

function worker() {
  const w = createHousekeepingWorker({
    config: t.config,
    db: t.database.db,
    logger: createLogger('silent'),
    now: t.clock.now,
    signingKey: key,
  });
  workers.push(w);
  return w;
}

/** A reported, triaged item (page in BE on AS64500, its medium in NL), assessed and confirmed: three forwards. */
async function confirmedItem(url = 'https://site.example.test/page') {
  const itemId = reportAndTriage(t, url, [
    { ...medium(url), hosting: { kind: 'ip', ip: '203.0.113.9', country: 'NL', asn: 64501, org: 'CDN' } },
  ]);
  await assessAndConfirm(t.app, itemId, sessionFor(t, analyst), sessionFor(t, supervisor));
  return itemId;
}

const forwardTo = (destination: string) =>
  row(
    t.database,
    'select f.* from forwards f join destinations d on d.id = f.destination_id where d.key = ?',
    destination,
  );
const auditActions = (forwardId: number) =>
  rows(
    t.database,
    "select action from audit_events where object_type = 'forward' and object_id = ? order by seq",
    `${forwardId}`,
  ).map((r) => r.action);

const pendingReminders = () =>
  rows(
    t.database,
    "select available_at, payload from jobs where type = 'forwarding.remind' and status = 'pending' order by id",
  );

afterEach(async () => {
  await Promise.all(workers.map((w) => w.stop(0)));
  workers = [];
  await sink?.close();
  sink = undefined;
});

describe('delivering forwards', () => {
  beforeEach(async () => {
    sink = await startSmtpSink();
    await setUp(sink.url);
  });

  it('enqueues each forward’s delivery with it, and delivers: packages to the police and the partner, a notice in Dutch to the provider', async () => {
    const itemId = await confirmedItem();
    const queued = rows(t.database, "select idempotency_key from jobs where type = 'forwarding.deliver' order by id");
    expect(queued).toHaveLength(3);
    expect(rows(t.database, 'select state from forwards').every((f) => f.state === 'pending')).toBe(true);

    await worker().drain();

    for (const key of ['police', 'partner:NL', 'provider:AS64500']) {
      expect(forwardTo(key)).toMatchObject({ state: 'sent', sent_at: friday, delivery_attempts: 0 });
      expect(auditActions(forwardTo(key).id as number)).toEqual(['forward.create', 'forward.sent']);
    }

    // The police's package: signed, verifiable with the export code, the one forward in it.
    const police = forwardTo('police');
    const packagePath = join(folder, 'police', `hotline-forward-${police.id}.zip`);
    expect(await verifyPackage(packagePath, key.publicKey)).toMatchObject({ ok: true, problems: [] });
    const report = JSON.parse((await readZipEntries(packagePath)).get('report.json')?.toString('utf8') ?? '{}');
    expect(report).toMatchObject({ to: 'police', count: 1 });
    expect(report.items[0]).toMatchObject({ forwardId: police.id, item: { id: itemId } });
    const partner = forwardTo('partner:NL');
    const partnerPackage = join(folder, 'partners', 'NL', `hotline-forward-${partner.id}.zip`);
    expect((await verifyPackage(partnerPackage, key.publicKey)).ok).toBe(true);

    // The provider's notice: to its abuse desk, in its language, the address and exact hashes, nothing attached.
    const provider = forwardTo('provider:AS64500');
    expect(sink?.messages).toHaveLength(1);
    const mail = sink?.messages[0];
    expect(mail?.recipients).toEqual(['abuse@host.example.test']);
    expect(mail?.subject).toBe(`Materiaal van seksueel kindermisbruik gehost op uw netwerk [F-${provider.id}]`);
    const hashes = row(t.database, 'select sha256, sha1, md5 from item_media where item_id = ?', itemId);
    for (const text of ['https://site.example.test/page', hashes.sha256, hashes.sha1, hashes.md5]) {
      expect(mail?.text).toContain(text);
    }
    expect(mail?.attachments).toEqual([]);
    expect(mail?.html).toBe(false);
  });

  it('reminds the provider every 24 hours within working hours while the content is online, each reminder audited', async () => {
    await confirmedItem();
    await worker().drain();
    const provider = forwardTo('provider:AS64500');
    expect(sink?.messages).toHaveLength(1);

    // Due Saturday 16:00: the first working moment after it is Monday 09:00 in Brussels.
    const reminder = row(t.database, "select available_at from jobs where type = 'forwarding.remind'");
    expect(reminder.available_at).toBe(mondayNine);
    t.clock.set(mondayNine - 60_000);
    await worker().drain();
    expect(sink?.messages).toHaveLength(1);

    t.clock.set(mondayNine);
    await worker().drain();
    expect(sink?.messages).toHaveLength(2);
    expect(sink?.messages[1]?.subject).toBe(
      `Herinnering 1: materiaal van seksueel kindermisbruik nog op uw netwerk [F-${provider.id}]`,
    );
    expect(sink?.messages[1]?.text).toContain('2026-12-04 15:00 UTC');
    expect(forwardTo('provider:AS64500')).toMatchObject({ reminders: 1, last_notice_at: mondayNine });
    expect(auditActions(provider.id as number)).toEqual(['forward.create', 'forward.sent', 'forward.reminder']);

    // Tuesday 09:00 the second; then the provider acknowledges and the reminders stop.
    t.clock.set(mondayNine + 86_400_000);
    await worker().drain();
    expect(sink?.messages.map((m) => m.subject?.slice(0, 12))).toEqual([
      'Materiaal va',
      'Herinnering ',
      'Herinnering ',
    ]);
    await request(t.app)
      .patch(`/api/v1/forwards/${provider.id}`)
      .set(asSession(sessionFor(t, supervisor)))
      .send({ state: 'acknowledged', receiverReference: 'ABUSE-77' })
      .expect(200);
    t.clock.set(mondayNine + 2 * 86_400_000);
    await worker().drain();
    expect(sink?.messages).toHaveLength(3);
    expect(rows(t.database, "select status from jobs where type = 'forwarding.remind' and status != 'done'")).toEqual(
      [],
    );
  });

  it('starts the reminders again when the re-check reopens a removed forward, in the same transaction', async () => {
    await confirmedItem();
    await worker().drain();
    const provider = forwardTo('provider:AS64500');
    const itemId = provider.item_id as number;
    // Gone before Monday: the waiting reminder finds the forward removed and the chain ends.
    t.clock.set(friday + 3_600_000);
    t.database.db.transaction((tx) =>
      markRemoved(tx, t.config, itemId, { removedAt: t.clock.now(), reason: 'http_404' }, t.clock.now()),
    );
    t.clock.set(mondayNine);
    await worker().drain();
    expect(sink?.messages).toHaveLength(1);
    expect(pendingReminders()).toEqual([]);

    // Back on Wednesday evening: reminder 1 is due at the next working moment, Thursday 09:00.
    const wednesdayEvening = Date.UTC(2026, 11, 9, 19, 0);
    t.clock.set(wednesdayEvening);
    const reopened = t.database.db.transaction((tx) =>
      markBackOnline(tx, t.config, itemId, 'hashes_served', wednesdayEvening),
    );
    expect(reopened).toBe(3);
    // Only the provider's notice is reminded: the drop folders have no reminders.
    expect(pendingReminders()).toEqual([
      { available_at: mondayNine + 3 * 86_400_000, payload: JSON.stringify({ forwardId: provider.id, reminder: 1 }) },
    ]);
    t.clock.set(mondayNine + 3 * 86_400_000);
    await worker().drain();
    expect(sink?.messages.map((m) => m.subject?.slice(0, 13))).toEqual(['Materiaal van', 'Herinnering 1']);
    expect(forwardTo('provider:AS64500')).toMatchObject({ state: 'still_online', reminders: 1 });
    expect(auditActions(provider.id as number)).toEqual([
      'forward.create',
      'forward.sent',
      'forward.update',
      'forward.update',
      'forward.reminder',
    ]);
  });

  it('goes on reminding after an acknowledgement while the re-check still finds the content online, and stops at removed', async () => {
    await confirmedItem();
    await worker().drain();
    const provider = forwardTo('provider:AS64500');
    const itemId = provider.item_id as number;
    const mondayTen = mondayNine + 3_600_000;
    t.clock.set(mondayNine - 30 * 60_000);
    await request(t.app)
      .patch(`/api/v1/forwards/${provider.id}`)
      .set(asSession(sessionFor(t, supervisor)))
      .send({ state: 'acknowledged', receiverReference: 'ABUSE-78' })
      .expect(200);
    // The waiting reminder finds it acknowledged: the chain pauses.
    t.clock.set(mondayNine);
    await worker().drain();
    expect(sink?.messages).toHaveLength(1);
    expect(pendingReminders()).toEqual([]);

    // Monday 10:00 the re-check still sees the content: the notice is still_online, reminded a period after the acknowledgement.
    t.clock.set(mondayTen);
    expect(t.database.db.transaction((tx) => markBackOnline(tx, t.config, itemId, 'hashes_served', mondayTen))).toBe(1);
    expect(forwardTo('provider:AS64500')).toMatchObject({ state: 'still_online', receiver_reference: 'ABUSE-78' });
    // Only the provider's notice: the police's and the partner's sent forwards keep their state.
    expect(forwardTo('police').state).toBe('sent');
    expect(pendingReminders()).toEqual([
      { available_at: mondayNine + 86_400_000, payload: JSON.stringify({ forwardId: provider.id, reminder: 1 }) },
    ]);
    t.clock.set(mondayNine + 86_400_000);
    await worker().drain();
    expect(sink?.messages.map((m) => m.subject?.slice(0, 13))).toEqual(['Materiaal van', 'Herinnering 1']);

    // Removed: the next reminder finds it so and the chain ends.
    t.database.db.transaction((tx) =>
      markRemoved(tx, t.config, itemId, { removedAt: t.clock.now(), reason: 'http_404' }, t.clock.now()),
    );
    t.clock.set(mondayNine + 2 * 86_400_000);
    await worker().drain();
    expect(sink?.messages).toHaveLength(2);
    expect(pendingReminders()).toEqual([]);
  });

  it('reminds no provider withdrawn meanwhile when its content comes back', async () => {
    await confirmedItem();
    await worker().drain();
    const itemId = forwardTo('provider:AS64500').item_id as number;
    t.clock.set(friday + 3_600_000);
    t.database.db.transaction((tx) =>
      markRemoved(tx, t.config, itemId, { removedAt: t.clock.now(), reason: 'http_404' }, t.clock.now()),
    );
    // The first chain's reminder still waits (it will find the forward removed).
    const waiting = pendingReminders();
    for (const withdrawn of ['approved = 0', 'active = 0']) {
      t.database.sqlite
        .prepare("update destinations set approved = 1, active = 1 where key = 'provider:AS64500'")
        .run();
      t.database.sqlite.prepare(`update destinations set ${withdrawn} where key = 'provider:AS64500'`).run();
      t.database.db.transaction((tx) => {
        markBackOnline(tx, t.config, itemId, 'hashes_served', t.clock.now());
        markRemoved(tx, t.config, itemId, { removedAt: t.clock.now(), reason: 'http_404' }, t.clock.now());
      });
      expect(pendingReminders()).toEqual(waiting);
    }
  });

  it('reminds a provider whose notice a supervisor marks sent, or still online, by hand', async () => {
    await confirmedItem();
    const provider = forwardTo('provider:AS64500');
    // The notice went out by other means before the worker delivered it.
    const marking = asSession(sessionFor(t, supervisor));
    await request(t.app).patch(`/api/v1/forwards/${provider.id}`).set(marking).send({ state: 'sent' }).expect(200);
    expect(pendingReminders()).toEqual([
      { available_at: mondayNine, payload: JSON.stringify({ forwardId: provider.id, reminder: 1 }) },
    ]);
    t.clock.set(mondayNine);
    await worker().drain();
    expect(sink?.messages.map((m) => m.subject?.slice(0, 13))).toEqual(['Herinnering 1']);

    const tuesdayNine = mondayNine + 86_400_000;
    const session = asSession(sessionFor(t, supervisor));
    await request(t.app)
      .patch(`/api/v1/forwards/${provider.id}`)
      .set(session)
      .send({ state: 'acknowledged', receiverReference: 'ABUSE-79' })
      .expect(200);
    t.clock.set(tuesdayNine);
    await worker().drain();
    expect(sink?.messages).toHaveLength(1);
    await request(t.app)
      .patch(`/api/v1/forwards/${provider.id}`)
      .set(asSession(sessionFor(t, supervisor)))
      .send({ state: 'still_online' })
      .expect(200);
    // Reminder 1 went out a period ago: reminder 2 is due now (the job that found it acknowledged is put back).
    expect(pendingReminders()).toEqual([
      { available_at: tuesdayNine, payload: JSON.stringify({ forwardId: provider.id, reminder: 2 }) },
    ]);
    await worker().drain();
    expect(sink?.messages.map((m) => m.subject?.slice(0, 13))).toEqual(['Herinnering 1', 'Herinnering 2']);
  });

  it('sends a reminder once when the restarted chain meets the earlier one still waiting', async () => {
    await confirmedItem();
    await worker().drain();
    const provider = forwardTo('provider:AS64500');
    const itemId = provider.item_id as number;
    // The earlier chain's reminder 1 was pushed back an hour (a failed attempt, a worker that was down).
    t.database.sqlite
      .prepare("update jobs set available_at = ?, idempotency_key = 'earlier' where type = 'forwarding.remind'")
      .run(mondayNine + 3_600_000);
    t.clock.set(friday + 3_600_000);
    t.database.db.transaction((tx) => {
      markRemoved(tx, t.config, itemId, { removedAt: t.clock.now(), reason: 'http_404' }, t.clock.now());
      markBackOnline(tx, t.config, itemId, 'hashes_served', t.clock.now());
    });
    expect(pendingReminders()).toHaveLength(2);
    t.clock.set(mondayNine + 3_600_000);
    await worker().drain();
    expect(sink?.messages.map((m) => m.subject?.slice(0, 13))).toEqual(['Materiaal van', 'Herinnering 1']);
    // One chain goes on: reminder 2, a period after reminder 1 went out.
    expect(pendingReminders()).toEqual([
      {
        available_at: mondayNine + 3_600_000 + 86_400_000,
        payload: JSON.stringify({ forwardId: provider.id, reminder: 2 }),
      },
    ]);
  });

  it('tries a reminder whose attempts all fail again a period later: the chain does not break', async () => {
    await confirmedItem();
    await worker().drain();
    const port = sink?.port as number;
    await sink?.close();
    t.clock.set(mondayNine);
    const w = worker();
    for (let attempt = 1; attempt <= 5; attempt++) {
      await w.drain();
      if (attempt < 5) t.clock.advance(3_600_000);
    }
    const finalAt = t.clock.now();
    const waiting = rows(
      t.database,
      "select available_at from jobs where type = 'forwarding.remind' and status = 'pending'",
    );
    expect(waiting).toEqual([{ available_at: finalAt + 86_400_000 }]);
    expect(forwardTo('provider:AS64500').reminders).toBe(0);

    sink = await startSmtpSink(port);
    t.clock.set(finalAt + 86_400_000);
    await w.drain();
    expect(sink.messages.map((m) => m.subject?.slice(0, 13))).toEqual(['Herinnering 1']);
    expect(forwardTo('provider:AS64500').reminders).toBe(1);
  });

  it('sends a notice only to an approved provider, nothing to an inactive destination, and shows why in the outbox', async () => {
    await confirmedItem();
    t.database.sqlite.prepare("update destinations set approved = 0 where key = 'provider:AS64500'").run();
    t.database.sqlite.prepare("update destinations set active = 0 where key = 'police'").run();
    await worker().drain();
    expect(sink?.messages).toHaveLength(0);
    expect(forwardTo('police')).toMatchObject({ state: 'pending', last_delivery_error: 'destination_inactive' });
    expect(readdirSync(folder)).not.toContain('police');
    expect(forwardTo('provider:AS64500')).toMatchObject({
      state: 'pending',
      delivery_attempts: 1,
      last_delivery_error: 'destination_not_approved',
    });
    const outbox = await request(t.app)
      .get('/api/v1/forwards?state=pending')
      .set(asSession(sessionFor(t, supervisor)))
      .expect(200);
    const provider = outbox.body.forwards.find((f: { destination: { key: string } }) => f.destination.key !== 'police');
    expect(provider).toMatchObject({ deliveryAttempts: 1, lastDeliveryError: 'destination_not_approved' });
  });

  it('hands a partner whose row names the ICCAM channel an ICCAM-shaped record', async () => {
    const nl = row(t.database, "select id from destinations where key = 'partner:NL'").id;
    await request(t.app)
      .patch(`/api/v1/destinations/${nl}`)
      .set(asSession(sessionFor(t, admin)))
      .send({ channel: 'iccam' })
      .expect(200);
    await confirmedItem();
    await worker().drain();
    const partner = forwardTo('partner:NL');
    expect(partner.state).toBe('sent');
    const record = JSON.parse(readFileSync(join(folder, 'iccam', `iccam-F-${partner.id}.json`), 'utf8'));
    expect(record).toMatchObject({ format: 'hotline-iccam-record/1', assignedCountryCode: 'NL' });
    expect(record.urls[0].assessment.classification).toBe(1);
  });

  it('loses no forward when a worker dies between sending and recording: another takes it back and sends again', async () => {
    await confirmedItem();
    // A worker claims the police forward's delivery, and dies (its lock is never renewed nor released).
    const claimed = t.database.db.transaction((tx) =>
      claimJob(tx, { types: ['forwarding.deliver'], workerId: 'crashed', now: t.clock.now(), lockMs: 60_000 }),
    );
    const police = forwardTo('police');
    expect(claimed?.payload).toEqual({ forwardId: police.id, attempt: 1 });

    const survivor = worker();
    await survivor.drain();
    expect(forwardTo('police').state).toBe('pending');

    t.clock.advance(61_000);
    await survivor.drain();
    const failed = forwardTo('police');
    expect(failed).toMatchObject({ state: 'pending', delivery_attempts: 1, last_delivery_error: 'lock_expired' });
    t.clock.set(failed.next_delivery_at as number);
    await survivor.drain();
    expect(forwardTo('police')).toMatchObject({ state: 'sent', delivery_attempts: 0 });
    expect(auditActions(police.id as number)).toEqual(['forward.create', 'forward.delivery_failed', 'forward.sent']);
  });
  it('resumes at start a delivery whose attempt ended without its hooks (taken back by a worker that knew no delivery)', async () => {
    const running = worker();
    await confirmedItem();
    t.database.sqlite
      .prepare("update jobs set status = 'failed', last_error = 'lock_expired' where type = 'forwarding.deliver'")
      .run();
    await running.drain();
    expect(rows(t.database, 'select state from forwards').map((f) => f.state)).toEqual([
      'pending',
      'pending',
      'pending',
    ]);

    // The next start finds them waiting with no attempt under way, and gives each one.
    await worker().drain();
    expect(rows(t.database, 'select state from forwards').map((f) => f.state)).toEqual(['sent', 'sent', 'sent']);
    expect(sink?.messages).toHaveLength(1);
  });
});

describe('a relay that is down', () => {
  let port: number;
  beforeEach(async () => {
    port = await freeLoopbackPort();
    await setUp(`smtp://127.0.0.1:${port}`, { HOTLINE_DELIVERY_FAILED_AFTER: '3' });
  });

  it('is retried with growing, jittered waits; the forward shows failed after 3 attempts, then goes out once the relay is up', async () => {
    await confirmedItem();
    const w = worker();
    await w.drain();
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 4; attempt++) {
      const provider = forwardTo('provider:AS64500');
      expect(provider).toMatchObject({ delivery_attempts: attempt, state: attempt >= 3 ? 'failed' : 'pending' });
      expect(provider.last_delivery_error).toMatch(/^smtp:[A-Z]+$/);
      waits.push((provider.next_delivery_at as number) - t.clock.now());
      // Not before its time.
      t.clock.set((provider.next_delivery_at as number) - 1);
      await w.drain();
      expect(forwardTo('provider:AS64500').delivery_attempts).toBe(attempt);
      t.clock.set(provider.next_delivery_at as number);
      if (attempt < 4) await w.drain();
    }
    // 1, 2, 4, 8 minutes, each with up to a quarter taken off.
    waits.forEach((wait, i) => {
      expect(wait).toBeGreaterThanOrEqual(0.75 * 60_000 * 2 ** i);
      expect(wait).toBeLessThanOrEqual(60_000 * 2 ** i);
    });

    const outbox = await request(t.app)
      .get('/api/v1/forwards?state=failed')
      .set(asSession(sessionFor(t, supervisor)))
      .expect(200);
    expect(outbox.body.counts.failed).toBe(1);
    expect(outbox.body.forwards[0]).toMatchObject({ destination: { key: 'provider:AS64500' }, deliveryAttempts: 4 });
    const due = new Date(forwardTo('provider:AS64500').next_delivery_at as number).toISOString();
    expect(outbox.body.forwards[0]).toMatchObject({ nextDeliveryAt: due, lastDeliveryError: 'smtp:ESOCKET' });

    sink = await startSmtpSink(port);
    await w.drain();
    expect(sink.messages).toHaveLength(1);
    const provider = forwardTo('provider:AS64500');
    expect(provider).toMatchObject({ state: 'sent', delivery_attempts: 0, last_delivery_error: null });
    expect(auditActions(provider.id as number)).toEqual([
      'forward.create',
      ...Array(4).fill('forward.delivery_failed'),
      'forward.sent',
    ]);
    // The drop folders never depended on the relay.
    expect(forwardTo('police').state).toBe('sent');
  });
});
