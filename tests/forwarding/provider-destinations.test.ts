import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { medium, reportAndTriage } from '../review/fixtures.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { assessAndConfirm, forwardKeysOf } from '../support/assessments.ts';
import { addUser, asSession, sessionFor, type TestSession } from '../support/auth.ts';
import { countRows, row } from '../support/db.ts';

let t: TestApp;
let analyst: TestSession;
let supervisor: TestSession;
let admin: TestSession;

beforeEach(async () => {
  // A hotline whose protocol notifies the providers of home content itself.
  t = createTestApp({ env: { HOTLINE_NOTIFY_PROVIDERS: 'home' } });
  analyst = sessionFor(t, await addUser(t, 'analyst'));
  supervisor = sessionFor(t, await addUser(t, 'supervisor'));
  admin = sessionFor(t, await addUser(t, 'admin'));
});

/** The page's network in the fixtures: AS64500, in BE. */
const provider = {
  kind: 'hosting_provider',
  asn: 64500,
  name: 'Site host NV',
  contact: 'abuse@host.example.test',
  country: 'BE',
  language: 'nl',
  source: 'abuse desk confirmed by phone',
};

const create = (body: object, session = admin) =>
  request(t.app).post('/api/v1/destinations').set(asSession(session)).set('Accept-Language', 'en').send(body);

async function confirmedForwardKeys(url: string): Promise<string[]> {
  const itemId = reportAndTriage(t, url, [
    { ...medium(url), hosting: { kind: 'ip', ip: '203.0.113.9', country: 'BE', asn: 64500, org: 'Site host' } },
  ]);
  await assessAndConfirm(t.app, itemId, analyst, supervisor);
  return forwardKeysOf(t, itemId);
}

describe("an admin adds a hosting provider's abuse contact", () => {
  it('stores it not approved, audited; routing notifies it only once approved', async () => {
    const res = await create(provider).expect(201);
    expect(res.body.destination).toMatchObject({
      key: 'provider:AS64500',
      kind: 'hosting_provider',
      asn: 64500,
      contact: 'abuse@host.example.test',
      language: 'nl',
      approved: false,
      active: true,
    });
    const audit = row(
      t.database,
      "select actor, object_id, details from audit_events where action = 'destination.create'",
    );
    expect(Number(audit.object_id)).toBe(res.body.destination.id);
    expect(JSON.parse(audit.details as string)).toMatchObject({ key: 'provider:AS64500', asn: 64500, approved: false });

    // Not approved: the police get the home content, the provider nothing.
    expect(await confirmedForwardKeys('https://site.example.test/one')).toEqual(['police']);

    await request(t.app)
      .patch(`/api/v1/destinations/${res.body.destination.id}`)
      .set(asSession(admin))
      .send({ approved: true })
      .expect(200);
    expect(await confirmedForwardKeys('https://site.example.test/two')).toEqual(['police', 'provider:AS64500']);
    const reasons = row(
      t.database,
      "select f.reasons from forwards f join destinations d on d.id = f.destination_id where d.key = 'provider:AS64500'",
    ).reasons as string;
    expect(JSON.parse(reasons)).toEqual([
      { code: 'provider_notice', what: 'page', asn: 64500 },
      { code: 'provider_notice', what: 'medium:0', asn: 64500 },
    ]);
  });

  it('refuses bad input naming each field, a second row for the same network, and other roles; nothing stored', async () => {
    const before = countRows(t.database, 'destinations');
    const bad = await create({
      ...provider,
      asn: -1,
      contact: 'not an address',
      language: 'xx',
      approved: 'yes',
      extra: 1,
    }).expect(400);
    expect(Object.keys(bad.body.fields).sort()).toEqual(['approved', 'asn', 'contact', 'extra', 'language']);
    expect(bad.body.fields.asn).toEqual(expect.any(String));
    const police = await create({ ...provider, kind: 'police' }).expect(400);
    expect(Object.keys(police.body.fields)).toEqual(['kind']);
    const missing = await create({ kind: 'hosting_provider' }).expect(400);
    expect(Object.keys(missing.body.fields).sort()).toEqual(['asn', 'contact', 'name', 'source']);
    await create(provider, supervisor).expect(403);
    await request(t.app)
      .post('/api/v1/destinations')
      .set({ Cookie: admin.cookie, 'Sec-Fetch-Site': 'same-origin' })
      .send(provider)
      .expect(403);
    expect(countRows(t.database, 'destinations')).toBe(before);

    await create(provider).expect(201);
    const again = await create({ ...provider, name: 'Another name' }).expect(409);
    expect(again.body).toMatchObject({ error: 'destination_exists' });
    expect(again.body.message).toContain('exists already');
    expect(countRows(t.database, 'destinations')).toBe(before + 1);
    expect(countRows(t.database, "audit_events where action = 'destination.create'")).toBe(1);
  });
});
