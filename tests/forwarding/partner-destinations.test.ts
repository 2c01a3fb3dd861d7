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
  t = createTestApp();
  analyst = sessionFor(t, await addUser(t, 'analyst'));
  supervisor = sessionFor(t, await addUser(t, 'supervisor'));
  admin = sessionFor(t, await addUser(t, 'admin'));
});

/** Kosovo: no row in the shipped partner list, so its content goes to the police until a hotline is added. */
const partner = {
  kind: 'partner_hotline',
  country: 'XK',
  name: 'Hotline XK (Safe Net Kosovo)',
  contact: 'https://hotline.example.test',
  channel: 'iccam',
  language: 'en',
  source: 'INHOPE member page, checked by phone',
  asOf: '2026-11',
  confidence: 'medium',
};

const create = (body: object, session = admin, lang = 'en') =>
  request(t.app).post('/api/v1/destinations').set(asSession(session)).set('Accept-Language', lang).send(body);

/** Confirms an illegal assessment of an item whose page is in BE and whose one medium is hosted in `country`. */
async function forwardKeys(url: string, country: string): Promise<string[]> {
  const itemId = reportAndTriage(t, url, [
    { ...medium(url), hosting: { kind: 'ip', ip: '203.0.113.9', country, asn: 64501, org: 'Abroad' } },
  ]);
  await assessAndConfirm(t.app, itemId, analyst, supervisor);
  return forwardKeysOf(t, itemId);
}

describe('an admin adds a partner hotline', () => {
  it('stores it with its source, audited; content hosted in its country then goes to it', async () => {
    expect(await forwardKeys('https://site.example.test/before', 'XK')).toEqual(['police']);

    const res = await create(partner).expect(201);
    expect(res.body.destination).toMatchObject({
      key: 'partner:XK',
      kind: 'partner_hotline',
      country: 'XK',
      asn: null,
      contact: 'https://hotline.example.test',
      channel: 'iccam',
      source: 'INHOPE member page, checked by phone',
      asOf: '2026-11',
      active: true,
    });
    const audit = row(t.database, "select object_id, details from audit_events where action = 'destination.create'");
    expect(Number(audit.object_id)).toBe(res.body.destination.id);
    expect(JSON.parse(audit.details as string)).toMatchObject({
      key: 'partner:XK',
      country: 'XK',
      source: partner.source,
    });
    const listed = await request(t.app).get('/api/v1/destinations').set(asSession(supervisor)).expect(200);
    expect(listed.body.destinations).toContainEqual(expect.objectContaining({ key: 'partner:XK', name: partner.name }));

    expect(await forwardKeys('https://site.example.test/after', 'XK')).toEqual(['partner:XK', 'police']);
  });

  it('keeps one hotline per country: a second for a seeded country is refused, named, and nothing stored', async () => {
    const before = countRows(t.database, 'destinations');
    const again = await create({ ...partner, country: 'NL' }, admin, 'fr').expect(409);
    expect(again.body).toMatchObject({ error: 'partner_exists' });
    expect(again.body.message).toContain('une par pays');
    await create(partner).expect(201);
    await create({ ...partner, name: 'Another XK hotline' }).expect(409);
    expect(countRows(t.database, 'destinations')).toBe(before + 1);
    expect(countRows(t.database, "audit_events where action = 'destination.create'")).toBe(1);
  });

  it('names each bad field with its own message, refuses other roles, and stores nothing', async () => {
    const before = countRows(t.database, 'destinations');
    const bad = await create({
      ...partner,
      country: 'xk',
      contact: '  ',
      channel: 'fax',
      source: undefined,
      asn: 64500,
    }).expect(400);
    expect(Object.keys(bad.body.fields).sort()).toEqual(['asn', 'channel', 'contact', 'country', 'source']);
    expect(bad.body.fields.country).toBe('Give the country as two capital letters (ISO 3166), for example NL.');
    expect(bad.body.fields.source).toBe('Say where this row comes from (1 to 500 characters).');
    expect(bad.body.fields.contact).toMatch(/^Say where forwards go/);
    const police = await create({ ...partner, kind: 'police' }, admin, 'nl').expect(400);
    expect(police.body.fields).toEqual({ kind: 'Kies hosting_provider of partner_hotline.' });
    await create(partner, supervisor).expect(403);
    await create(partner, analyst).expect(403);
    await request(t.app)
      .post('/api/v1/destinations')
      .set({ Cookie: admin.cookie, 'Sec-Fetch-Site': 'same-origin' })
      .send(partner)
      .expect(403);
    expect(countRows(t.database, 'destinations')).toBe(before);
    expect(countRows(t.database, "audit_events where action like 'destination.%'")).toBe(0);
  });
});

describe('an admin edits a directory row', () => {
  it("keeps a provider's contact an e-mail address, and audits each field's change", async () => {
    const provider = await create({
      kind: 'hosting_provider',
      asn: 64500,
      name: 'Site host NV',
      contact: 'abuse@host.example.test',
      source: 'abuse desk',
    }).expect(201);
    const id = provider.body.destination.id;
    const patch = (body: object) =>
      request(t.app).patch(`/api/v1/destinations/${id}`).set(asSession(admin)).set('Accept-Language', 'en').send(body);
    const refused = await patch({ contact: 'https://host.example.test/abuse', active: false }).expect(400);
    expect(refused.body.fields).toEqual({ contact: "Give the abuse desk's e-mail address." });
    expect(row(t.database, 'select contact, active from destinations where id = ?', id)).toEqual({
      contact: 'abuse@host.example.test',
      active: 1,
    });

    await patch({ contact: 'noc@host.example.test', channel: 'email', language: 'fr', active: false }).expect(200);
    const audit = row(t.database, "select details from audit_events where action = 'destination.update'");
    expect(JSON.parse(audit.details as string)).toEqual({
      key: 'provider:AS64500',
      changed: {
        contact: { from: 'abuse@host.example.test', to: 'noc@host.example.test' },
        channel: { from: null, to: 'email' },
        language: { from: null, to: 'fr' },
        active: { from: true, to: false },
      },
    });
  });
});
