import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { runMigrations } from '../../src/db/migrate.ts';
import { medium, reportAndTriage } from '../review/fixtures.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { illegalBaseline } from '../support/assessments.ts';
import { addUser, asSession, sessionFor, type TestSession, type TestUser } from '../support/auth.ts';
import { countRows, row, rows } from '../support/db.ts';

let t: TestApp;
let analyst: TestSession;
let supervisor: TestSession;
let supervisorUser: TestUser;
let admin: TestSession;

beforeEach(async () => {
  t = createTestApp();
  analyst = sessionFor(t, await addUser(t, 'analyst'));
  supervisorUser = await addUser(t, 'supervisor');
  supervisor = sessionFor(t, supervisorUser);
  admin = sessionFor(t, await addUser(t, 'admin'));
});

/** An item whose page is hosted in BE (fixtures) and whose one medium is hosted in `mediumCountry`. */
function itemWithMediumIn(url: string, mediumCountry: string | null): number {
  return reportAndTriage(t, url, [
    { ...medium(url), hosting: { kind: 'ip', ip: '203.0.113.9', country: mediumCountry, asn: 64501, org: 'CDN' } },
  ]);
}

async function assessAndConfirm(itemId: number, body: object = illegalBaseline) {
  const created = await request(t.app)
    .post(`/api/v1/items/${itemId}/assessments`)
    .set(asSession(analyst))
    .send(body)
    .expect(201);
  return request(t.app)
    .post(`/api/v1/assessments/${created.body.assessment.id}/confirm`)
    .set(asSession(supervisor))
    .send({});
}

const destinationId = (key: string) => row(t.database, 'select id from destinations where key = ?', key).id as number;

describe('the directory of destinations', () => {
  it('is seeded with the police, INTERPOL and one partner hotline per country, once', async () => {
    const res = await request(t.app).get('/api/v1/destinations').set(asSession(supervisor)).expect(200);
    const keys = res.body.destinations.map((d: { key: string }) => d.key);
    expect(keys).toEqual(expect.arrayContaining(['police', 'interpol', 'partner:NL', 'partner:DE', 'partner:BE']));
    const nl = res.body.destinations.find((d: { key: string }) => d.key === 'partner:NL');
    expect(nl).toMatchObject({ kind: 'partner_hotline', country: 'NL', active: true });
    expect(nl.source.length).toBeGreaterThan(0);
    expect(new Set(keys).size).toBe(keys.length);

    const before = countRows(t.database, 'destinations');
    runMigrations(t.database.db);
    expect(countRows(t.database, 'destinations')).toBe(before);
    await request(t.app).get('/api/v1/destinations').set(asSession(analyst)).expect(403);
  });

  it('keeps an admin edit when seeded again, and audits it', async () => {
    const id = destinationId('partner:NL');
    const res = await request(t.app)
      .patch(`/api/v1/destinations/${id}`)
      .set(asSession(admin))
      .send({ contact: 'https://drop.example.test/nl', active: false })
      .expect(200);
    expect(res.body.destination).toMatchObject({ contact: 'https://drop.example.test/nl', active: false });
    runMigrations(t.database.db);
    expect(row(t.database, 'select active from destinations where id = ?', id).active).toBe(0);
    const audit = row(t.database, "select * from audit_events where action = 'destination.update'");
    expect(JSON.parse(audit.details).changed.active).toEqual({ from: true, to: false });
  });

  it('refuses bad edits naming the field, and changes nothing', async () => {
    const id = destinationId('police');
    const res = await request(t.app)
      .patch(`/api/v1/destinations/${id}`)
      .set(asSession(admin))
      .set('Accept-Language', 'en')
      .send({ name: '', kind: 'police' })
      .expect(400);
    expect(Object.keys(res.body.fields).sort()).toEqual(['kind', 'name']);
    await request(t.app).patch(`/api/v1/destinations/${id}`).set(asSession(admin)).send({}).expect(400);
    await request(t.app).patch('/api/v1/destinations/99999').set(asSession(admin)).send({ active: false }).expect(404);
    await request(t.app)
      .patch(`/api/v1/destinations/${id}`)
      .set(asSession(supervisor))
      .send({ active: false })
      .expect(403);
    expect(countRows(t.database, "audit_events where action = 'destination.update'")).toBe(0);
  });
});

describe('forwards of a confirmed assessment', () => {
  it('routes each location by where its content is, and the item screen shows the reasons', async () => {
    const itemId = itemWithMediumIn('https://a.example.test/', 'NL');
    const confirmed = await assessAndConfirm(itemId);
    expect(confirmed.body.assessment.forwarded).toBe(2);

    const detail = await request(t.app).get(`/api/v1/items/${itemId}`).set(asSession(analyst)).expect(200);
    const forwards = detail.body.item.forwards;
    expect(forwards.map((f: { destination: { key: string } }) => f.destination.key)).toEqual(['police', 'partner:NL']);
    expect(forwards.every((f: { state: string }) => f.state === 'pending')).toBe(true);
    expect(forwards[0].reasons).toEqual([{ code: 'hosted_home', what: 'page', country: 'BE' }]);
    expect(forwards[1].reasons).toEqual([{ code: 'partner_country', what: 'medium:0', country: 'NL' }]);

    const audit = await request(t.app)
      .get(`/api/v1/audit?object=item:${itemId}`)
      .set(asSession(supervisor))
      .expect(200);
    expect(audit.body.events.filter((e: { action: string }) => e.action === 'forward.create')).toHaveLength(2);
  });

  it('sends to the police what is hosted where no active partner is, or unknown', async () => {
    const nl = destinationId('partner:NL');
    await request(t.app).patch(`/api/v1/destinations/${nl}`).set(asSession(admin)).send({ active: false }).expect(200);
    const itemId = itemWithMediumIn('https://b.example.test/', 'NL');
    const unknown = itemWithMediumIn('https://c.example.test/', null);
    await assessAndConfirm(itemId);
    await assessAndConfirm(unknown);
    const reasons = rows(t.database, 'select item_id, reasons from forwards order by id').map((r) => [
      r.item_id,
      JSON.parse(r.reasons).map((reason: { code: string }) => reason.code),
    ]);
    expect(reasons).toEqual([
      [itemId, ['hosted_home', 'no_partner']],
      [unknown, ['hosted_home', 'hosting_unknown']],
    ]);
  });

  it('forwards nothing for content found not illegal', async () => {
    const itemId = itemWithMediumIn('https://d.example.test/', 'NL');
    await assessAndConfirm(itemId, { legalStatus: 'not_illegal' });
    expect(countRows(t.database, 'forwards')).toBe(0);
  });
});

describe('the outbox', () => {
  it('lists what waits and what is overdue; a supervisor marks sent and acknowledged, each change audited', async () => {
    const itemId = itemWithMediumIn('https://e.example.test/', 'BE');
    await assessAndConfirm(itemId);
    const waiting = await request(t.app).get('/api/v1/forwards?state=pending').set(asSession(supervisor)).expect(200);
    expect(waiting.body.counts).toMatchObject({ pending: 1, sent: 0, overdue: 0 });
    const [forward] = waiting.body.forwards;
    expect(forward).toMatchObject({ itemId, url: 'https://e.example.test/', overdue: false });
    expect(forward.nextStates).toEqual(['sent', 'failed']);

    await request(t.app).get('/api/v1/forwards').set(asSession(analyst)).expect(403);
    await request(t.app)
      .patch(`/api/v1/forwards/${forward.id}`)
      .set(asSession(analyst))
      .send({ state: 'removed' })
      .expect(403);
    t.clock.advance(t.config.forwarding.overdueMs + 1);
    supervisor = sessionFor(t, supervisorUser);
    const late = await request(t.app).get('/api/v1/forwards?state=overdue').set(asSession(supervisor)).expect(200);
    expect(late.body.forwards.map((f: { id: number }) => f.id)).toEqual([forward.id]);
    expect(late.body.forwards[0].overdue).toBe(true);
    const open = await request(t.app).get('/api/v1/forwards').set(asSession(supervisor)).expect(200);
    expect(open.body.forwards).toMatchObject([{ id: forward.id, state: 'pending', overdue: true }]);

    const patch = (body: object) =>
      request(t.app)
        .patch(`/api/v1/forwards/${forward.id}`)
        .set(asSession(supervisor))
        .set('Accept-Language', 'en')
        .send(body);
    await patch({ state: 'acknowledged' }).expect(409);
    const sent = await patch({ state: 'sent' }).expect(200);
    expect(sent.body.forward.sentAt).toBe(new Date(t.clock.now()).toISOString());
    const acked = await patch({ state: 'acknowledged', receiverReference: 'FGP-2026-17' }).expect(200);
    expect(acked.body.forward).toMatchObject({ state: 'acknowledged', receiverReference: 'FGP-2026-17' });
    await patch({ state: 'lost' }).expect(400);

    const changes = rows(t.database, "select details from audit_events where action = 'forward.update' order by seq");
    expect(changes.map((c) => JSON.parse(c.details)).map((d) => [d.from, d.to])).toEqual([
      ['pending', 'sent'],
      ['sent', 'acknowledged'],
    ]);
  });
});
