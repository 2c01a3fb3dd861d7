import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { Matcher } from '../../src/matching/matcher.ts';
import { switchBankEntry } from '../../src/review/bank-switch.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { illegalFields, illegalNational } from '../support/assessments.ts';
import { addUser, asSession, sessionFor, type TestSession, type TestUser } from '../support/auth.ts';
import { countRows, row, rows } from '../support/db.ts';
import { medium, reportAndTriage, reportUrl } from './fixtures.ts';

let t: TestApp;
let analystA: TestUser;
let a: TestSession;
let b: TestSession;
let supervisor: TestSession;
let admin: TestSession;

beforeEach(async () => {
  t = createTestApp();
  analystA = await addUser(t, 'analyst');
  a = sessionFor(t, analystA);
  b = sessionFor(t, await addUser(t, 'analyst'));
  supervisor = sessionFor(t, await addUser(t, 'supervisor'));
  admin = sessionFor(t, await addUser(t, 'admin'));
});

const illegal = { ...illegalNational, comment: 'clear case' };
const assess = (s: TestSession, itemId: number, body: object) =>
  request(t.app).post(`/api/v1/items/${itemId}/assessments`).set(asSession(s)).set('Accept-Language', 'en').send(body);
const decide = (s: TestSession, id: number, verb: 'confirm' | 'dispute', body: object = {}) =>
  request(t.app).post(`/api/v1/assessments/${id}/${verb}`).set(asSession(s)).set('Accept-Language', 'en').send(body);
const queues = async () => (await request(t.app).get('/api/v1/queue').set(asSession(a)).expect(200)).body.queues;

describe('POST /api/v1/items/:id/assessments', () => {
  it('refuses an illegal assessment without the fields the exports need, naming each, and stores nothing', async () => {
    const item = reportAndTriage(t, 'https://a.example.test/', [medium('a')]);
    const res = await assess(a, item, { legalStatus: 'baseline', content: 'nonsense', extra: 1 }).expect(400);
    expect(Object.keys(res.body.fields).sort()).toEqual([
      'content',
      'depiction',
      'extra',
      'mediaType',
      'siteType',
      'victimAgeGroup',
      'victimGender',
    ]);
    expect(res.body.fields.depiction).toBe('Required for an illegal assessment.');
    expect(countRows(t.database, 'assessments')).toBe(0);
    expect(countRows(t.database, "audit_events where action like 'assessment.%'")).toBe(0);
  });

  it('takes "not illegal" and "gone" without any other field; the item goes to to_confirm', async () => {
    const one = reportAndTriage(t, 'https://a.example.test/', [medium('a')]);
    const two = reportAndTriage(t, 'https://b.example.test/', [medium('b')]);
    await assess(a, one, { legalStatus: 'not_illegal' }).expect(201);
    const gone = await assess(a, two, { outcome: 'gone' }).expect(201);
    expect(gone.body.assessment).toMatchObject({ outcome: 'gone', status: 'pending', itemId: two });
    expect(await queues()).toMatchObject({ new: 0, to_confirm: 2 });
    expect((await assess(b, one, illegal).expect(409)).body.error).toBe('assessment_pending');
  });
  it('refuses an item triage is still fetching (409 item_in_triage, nothing stored); a `new` item stays assessable', async () => {
    reportUrl(t, 'https://fetching.example.test/');
    reportUrl(t, 'https://waiting.example.test/');
    const itemOf = (url: string) => row(t.database, 'select id from items where url = ?', url).id as number;
    const fetching = itemOf('https://fetching.example.test/');
    t.database.sqlite.prepare("update items set state = 'fetching' where id = ?").run(fetching);
    const res = await assess(a, fetching, illegal).expect(409);
    expect(res.body).toMatchObject({ error: 'item_in_triage', message: expect.stringContaining('still fetching') });
    expect(countRows(t.database, 'assessments')).toBe(0);
    expect(countRows(t.database, "audit_events where action = 'assessment.create'")).toBe(0);
    expect(row(t.database, 'select review_queue from items where id = ?', fetching).review_queue).toBeNull();
    // With fetching off (or before the worker reaches it) an item waits `new`: an analyst may judge it.
    const waiting = itemOf('https://waiting.example.test/');
    expect(row(t.database, 'select state from items where id = ?', waiting).state).toBe('new');
    await assess(a, waiting, { legalStatus: 'not_illegal' }).expect(201);
  });
});

describe('four eyes', () => {
  it('refuses self-confirmation, and analysts confirm only when the settings allow it', async () => {
    const item = reportAndTriage(t, 'https://a.example.test/', [medium('a')]);
    const { id } = (await assess(a, item, illegal).expect(201)).body.assessment;
    expect((await decide(a, id, 'confirm').expect(403)).body.error).toBe('self_confirmation');
    expect((await decide(b, id, 'confirm').expect(403)).body.error).toBe('confirm_not_allowed');
    await request(t.app).patch('/api/v1/settings').set(asSession(admin)).send({ analystsMayConfirm: true }).expect(200);
    expect((await decide(a, id, 'confirm').expect(403)).body.error).toBe('self_confirmation');
    await decide(b, id, 'confirm', { comment: 'agreed' }).expect(200);
    expect(await queues()).toMatchObject({ to_confirm: 0, new: 0 });
    expect((await decide(supervisor, id, 'confirm').expect(409)).body.error).toBe('assessment_decided');
  });

  it('a confirmation banks every signal of every medium with the label, the assessment and the confirmer', async () => {
    const item = reportAndTriage(t, 'https://a.example.test/', [medium('a'), medium('b')]);
    const { id } = (await assess(a, item, illegal).expect(201)).body.assessment;
    const supervisorUser = row(t.database, "select id from users where role = 'supervisor'").id;
    const res = await decide(supervisor, id, 'confirm').expect(200);
    expect(res.body.assessment.banked).toBe(8);
    const entries = rows(
      t.database,
      "select e.signal_type, e.label, e.source_ref from bank_entries e join banks b on b.id = e.bank_id where b.name = 'hotline' and b.source = 'own'",
    );
    expect(entries).toHaveLength(8);
    expect(new Set(entries.map((e) => e.signal_type))).toEqual(new Set(['sha256', 'sha1', 'md5', 'pdq']));
    for (const entry of entries) {
      expect(entry.label).toBe('national/real_abuse');
      expect(entry.source_ref).toBe(`assessment:${id} confirmed_by:user:${supervisorUser}`);
    }
  });

  it('after a confirmation, a near copy matches the own bank and triage marks its item known', async () => {
    const item = reportAndTriage(t, 'https://a.example.test/', [medium('a')]);
    const { id } = (await assess(a, item, illegal).expect(201)).body.assessment;
    await decide(supervisor, id, 'confirm').expect(200);
    // A re-encoded copy: other bytes (other exact hashes), a PDQ hash a few bits away.
    const original = medium('a');
    const pdq = original.signals.pdq as string;
    const nearPdq = `${(Number.parseInt(pdq[0] as string, 16) ^ 0x7).toString(16)}${pdq.slice(1)}`;
    const copy = medium('a re-encoded');
    copy.signals = { ...copy.signals, pdq: nearPdq };
    copy.matches = new Matcher(t.database.db, t.config.matching).match({ ...copy.signals, pdqVariants: null });
    expect(copy.matches).toMatchObject([{ bank: 'hotline', label: 'national/real_abuse', distance: 3 }]);
    const copyItem = reportAndTriage(t, 'https://copy.example.test/', [copy]);
    expect(row(t.database, 'select state from items where id = ?', copyItem).state).toBe('known');
    expect(await queues()).toMatchObject({ new: 0, known: 1 });
  });

  it('not-illegal confirmations are banked with their label; gone ones bank nothing', async () => {
    const legal = reportAndTriage(t, 'https://a.example.test/', [medium('a')]);
    const gone = reportAndTriage(t, 'https://b.example.test/', [medium('b')]);
    const first = (await assess(a, legal, { legalStatus: 'not_illegal', content: 'other' }).expect(201)).body
      .assessment;
    const second = (await assess(a, gone, { outcome: 'gone' }).expect(201)).body.assessment;
    await decide(supervisor, first.id, 'confirm').expect(200);
    await decide(supervisor, second.id, 'confirm').expect(200);
    expect(rows(t.database, 'select distinct label from bank_entries').map((r) => r.label)).toEqual([
      'not_illegal/other',
    ]);
    expect(await queues()).toMatchObject({ gone: 1, to_confirm: 0 });
  });

  it('a dispute needs a comment and sends the item to supervisors, who decide', async () => {
    const item = reportAndTriage(t, 'https://a.example.test/', [medium('a')]);
    const { id } = (await assess(a, item, illegal).expect(201)).body.assessment;
    const noComment = await decide(supervisor, id, 'dispute', {}).expect(400);
    expect(noComment.body.fields).toEqual({ comment: 'Enter a comment.' });
    await decide(supervisor, id, 'dispute', { comment: 'looks computer-generated' }).expect(200);
    expect(await queues()).toMatchObject({ disputed: 1, to_confirm: 0 });
    expect((await assess(b, item, illegal).expect(403)).body.error).toBe('disputed_for_supervisors');
    const redo = { ...illegal, content: 'computer_generated' };
    const second = (await assess(supervisor, item, redo).expect(201)).body.assessment;
    expect(row(t.database, 'select status from assessments where id = ?', id).status).toBe('overruled');
    await decide(admin, second.id, 'confirm').expect(200);
    expect(await queues()).toMatchObject({ disputed: 0, to_confirm: 0 });
  });

  it('every step is found by the item’s audit history, whatever object the event names first', async () => {
    const item = reportAndTriage(t, 'https://a.example.test/', [medium('a')]);
    await request(t.app).post('/api/v1/queue/next').set(asSession(a)).send({}).expect(200);
    const { id } = (await assess(a, item, illegal).expect(201)).body.assessment;
    await decide(supervisor, id, 'confirm').expect(200);
    const res = await request(t.app).get(`/api/v1/audit?object=item:${item}`).set(asSession(supervisor)).expect(200);
    // The confirmation forwards the page (BE: the police) and its medium (NL: the partner hotline).
    expect(res.body.events.map((e: { action: string }) => e.action)).toEqual([
      'forward.create',
      'forward.create',
      'assessment.confirm',
      'assessment.create',
      'item.claim',
    ]);
    expect(res.body.events[2]).toMatchObject({ objectType: 'assessment', details: { about: [`item:${item}`] } });
  });
});

describe('known items', () => {
  let sourceAssessment: number;
  async function knownItem(): Promise<number> {
    const first = reportAndTriage(t, 'https://a.example.test/', [medium('a')]);
    const { id } = (await assess(a, first, illegal).expect(201)).body.assessment;
    sourceAssessment = id;
    await decide(supervisor, id, 'confirm').expect(200);
    const again = medium('a');
    again.matches = new Matcher(t.database.db, t.config.matching).match({ ...again.signals, pdqVariants: null });
    return reportAndTriage(t, 'https://mirror.example.test/', [again]);
  }

  it('a supervisor confirms their suggestion in bulk, without a view; the audit names the source', async () => {
    const known = await knownItem();
    const body = { itemIds: [known] };
    await request(t.app).post('/api/v1/queue/known/confirm').set(asSession(a)).send(body).expect(403);
    const res = await request(t.app).post('/api/v1/queue/known/confirm').set(asSession(supervisor)).send(body);
    expect(res.status).toBe(200);
    expect(res.body.assessments[0]).toMatchObject({ source: 'known', outcome: 'national', status: 'confirmed' });
    expect(res.body.requeued).toEqual([]);
    expect(await queues()).toMatchObject({ known: 0 });
    expect(row(t.database, 'select assessed_at from items where id = ?', known).assessed_at).toBe(t.clock.now());
    const event = row(
      t.database,
      "select details from audit_events where action = 'assessment.confirm' order by seq desc",
    );
    expect(JSON.parse(event.details)).toMatchObject({
      source: 'known',
      bankEntryId: expect.any(Number),
      bank: 'hotline',
      label: 'national/real_abuse',
      sourceAssessmentId: sourceAssessment,
    });
    expect(countRows(t.database, "audit_events where action = 'media.view'")).toBe(0);
  });

  it('an analyst cannot assess a known item (it is confirmed without a view); a supervisor can', async () => {
    const known = await knownItem();
    const refused = await assess(a, known, illegal).expect(403);
    expect(refused.body.error).toBe('known_item');
    expect(row(t.database, 'select count(*) as n from assessments where item_id = ?', known).n).toBe(0);
    await assess(supervisor, known, illegal).expect(201);
  });

  it('copies the source assessment’s fields, so its forwards carry what the exports need, not unknowns', async () => {
    const known = await knownItem();
    const res = await request(t.app)
      .post('/api/v1/queue/known/confirm')
      .set(asSession(supervisor))
      .send({ itemIds: [known] })
      .expect(200);
    const copied = { outcome: 'national', ...illegalFields };
    expect(res.body.assessments[0]).toMatchObject(copied);
    const stored = row(
      t.database,
      "select media_type, victim_age_group, victim_gender, site_type, depiction from assessments where source = 'known'",
    );
    expect(stored).toEqual({
      media_type: 'image',
      victim_age_group: 'prepubescent',
      victim_gender: 'female',
      site_type: 'image_host',
      depiction: 'lascivious_exhibition',
    });
    // The forwards the confirmation set in motion name the known assessment, which now holds the fields.
    const forwarded = rows(t.database, 'select assessment_id from forwards where item_id = ?', known);
    expect(forwarded.length).toBeGreaterThan(0);
    for (const forward of forwarded) expect(forward.assessment_id).toBe(res.body.assessments[0].id);
  });

  it('sends an item whose suggested entry was disabled back to new, confirming the others', async () => {
    const known = await knownItem();
    const other = reportAndTriage(t, 'https://c.example.test/', [medium('c')]);
    const { id } = (await assess(a, other, illegal).expect(201)).body.assessment;
    await decide(supervisor, id, 'confirm').expect(200);
    const copy = medium('c');
    copy.matches = new Matcher(t.database.db, t.config.matching).match({ ...copy.signals, pdqVariants: null });
    const stillKnown = reportAndTriage(t, 'https://mirror-c.example.test/', [copy]);
    expect(await queues()).toMatchObject({ known: 2, new: 0 });
    const entry = row(t.database, 'select bank_entry_id as id from item_suggestions where item_id = ?', known).id;
    // Found to be a false positive after triage suggested it: the entry is disabled.
    switchBankEntry({ db: t.database.db, config: t.config, now: t.clock.now }, 'system', entry, false);
    const res = await request(t.app)
      .post('/api/v1/queue/known/confirm')
      .set(asSession(supervisor))
      .send({ itemIds: [known, stillKnown] })
      .expect(200);
    expect(res.body.requeued).toEqual([known]);
    expect(res.body.assessments.map((x: { itemId: number }) => x.itemId)).toEqual([stillKnown]);
    expect(countRows(t.database, `assessments where item_id = ${known}`)).toBe(0);
    expect(countRows(t.database, `forwards where item_id = ${known}`)).toBe(0);
    expect(row(t.database, 'select state, review_queue from items where id = ?', known)).toEqual({
      state: 'ready',
      review_queue: null,
    });
    expect(countRows(t.database, `item_suggestions where item_id = ${known}`)).toBe(0);
    expect(await queues()).toMatchObject({ known: 0, new: 1 });
    const event = row(t.database, "select object_id, details from audit_events where action = 'item.requeue'");
    expect(event.object_id).toBe(String(known));
    expect(JSON.parse(event.details)).toEqual({ reason: 'suggestion_disabled', bankEntryId: entry, bank: 'hotline' });
  });

  it('sends it back to new when the whole bank was disabled', async () => {
    const known = await knownItem();
    await request(t.app).patch('/api/v1/banks/hotline').set(asSession(admin)).send({ enabled: false }).expect(200);
    const res = await request(t.app)
      .post('/api/v1/queue/known/confirm')
      .set(asSession(supervisor))
      .send({ itemIds: [known] })
      .expect(200);
    expect(res.body).toEqual({ assessments: [], requeued: [known] });
    expect(await queues()).toMatchObject({ known: 0, new: 1 });
  });

  it('refuses the whole batch when one item is not a known item waiting', async () => {
    const known = await knownItem();
    const fresh = reportAndTriage(t, 'https://b.example.test/', [medium('b')]);
    const res = await request(t.app)
      .post('/api/v1/queue/known/confirm')
      .set(asSession(supervisor))
      .send({ itemIds: [known, fresh] })
      .expect(409);
    expect(res.body.error).toBe('not_known');
    expect(await queues()).toMatchObject({ known: 1, new: 1 });
  });
});
