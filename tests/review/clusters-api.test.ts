import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import type { InspectedMedium } from '../../src/triage/pipeline.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { illegalNational } from '../support/assessments.ts';
import { addUser, asSession, sessionFor, type TestSession, type TestUser } from '../support/auth.ts';
import { countRows, row, rows } from '../support/db.ts';
import { medium, reportAndTriage } from './fixtures.ts';

let t: TestApp;
let analystA: TestUser;
let a: TestSession;
let b: TestSession;
let supervisor: TestSession;

beforeEach(async () => {
  t = createTestApp();
  analystA = await addUser(t, 'analyst');
  a = sessionFor(t, analystA);
  b = sessionFor(t, await addUser(t, 'analyst'));
  supervisor = sessionFor(t, await addUser(t, 'supervisor'));
});

/** The same picture re-encoded: other bytes (other exact hashes), a PDQ hash `bits` bits away. */
function nearCopy(seed: string, bits: number): InspectedMedium {
  const pdq = medium(seed).signals.pdq as string;
  const flipped = (Number.parseInt(pdq.slice(0, 2), 16) ^ ((1 << bits) - 1)).toString(16).padStart(2, '0');
  const copy = medium(`${seed} re-encoded ${bits}`);
  copy.signals = { ...copy.signals, pdq: `${flipped}${pdq.slice(2)}` };
  return copy;
}

/**
 * Items 1..4 and 5: 2 serves item 1's file (same bytes), 3 a near copy of it, 4 a near copy of
 * 3's other picture (linked to 1 only through 3), 5 an unrelated picture.
 */
function family() {
  const one = reportAndTriage(t, 'https://one.example.test/', [medium('a')]);
  const two = reportAndTriage(t, 'https://two.example.test/', [medium('a')]);
  const three = reportAndTriage(t, 'https://three.example.test/', [nearCopy('a', 4), medium('c')]);
  const four = reportAndTriage(t, 'https://four.example.test/', [nearCopy('c', 3)]);
  const alone = reportAndTriage(t, 'https://alone.example.test/', [medium('z')]);
  return { one, two, three, four, alone };
}

const clusterOf = (s: TestSession, itemId: number) =>
  request(t.app).get(`/api/v1/items/${itemId}/cluster`).set(asSession(s)).set('Accept-Language', 'en');
const applyToCluster = (s: TestSession, body: object) =>
  request(t.app).post('/api/v1/clusters/assessments').set(asSession(s)).set('Accept-Language', 'en').send(body);
const assessmentCount = () => countRows(t.database, 'assessments');
const auditCount = () => countRows(t.database, 'audit_events');

describe('GET /api/v1/items/:id/cluster', () => {
  it('lists the items sharing exact or near media, transitively, with the links that tie them', async () => {
    const { one, two, three, four, alone } = family();
    for (const start of [one, four]) {
      const { cluster } = (await clusterOf(a, start).expect(200)).body;
      expect(cluster.itemId).toBe(start);
      expect(cluster.complete).toBe(true);
      expect(cluster.items.map((i: { id: number }) => i.id).sort()).toEqual([one, two, three, four]);
      expect(cluster.items[0]).toMatchObject({ id: start, queue: 'new', claimedBy: null });
    }
    const { cluster } = (await clusterOf(a, one).expect(200)).body;
    expect(cluster.links).toEqual(
      expect.arrayContaining([
        { from: two, to: one, signal: 'sha256', distance: 0 },
        { from: three, to: one, signal: 'pdq', distance: 4 },
        { from: four, to: three, signal: 'pdq', distance: 3 },
      ]),
    );
    expect(cluster.items.find((i: { id: number }) => i.id === one)).toMatchObject({
      url: 'https://one.example.test/',
      hostingCountry: 'BE',
    });
    expect((await clusterOf(a, alone).expect(200)).body.cluster.items.map((i: { id: number }) => i.id)).toEqual([
      alone,
    ]);
  });

  it('leaves out a picture farther than the configured PDQ distance', async () => {
    const one = reportAndTriage(t, 'https://one.example.test/', [medium('a')]);
    const pdq = medium('a').signals.pdq as string;
    // Half the bits flipped: 128 apart, far beyond the match distance.
    const half = [...pdq.slice(0, 32)].map((c) => (15 - Number.parseInt(c, 16)).toString(16)).join('');
    const far = medium('a far one');
    far.signals = { ...far.signals, pdq: `${half}${pdq.slice(32)}` };
    const other = reportAndTriage(t, 'https://far.example.test/', [far]);
    expect((await clusterOf(a, other).expect(200)).body.cluster.items).toHaveLength(1);
    expect((await clusterOf(a, one).expect(200)).body.cluster.items).toHaveLength(1);
  });

  it('shows a live claim of another analyst', async () => {
    family();
    await request(t.app).post('/api/v1/queue/next').set(asSession(b)).send({}).expect(200);
    const claim = row(t.database, 'select item_id, claimed_by from item_reviews where claimed_by is not null');
    const { cluster } = (await clusterOf(a, claim.item_id).expect(200)).body;
    expect(cluster.items.filter((i: { claimedBy: number | null }) => i.claimedBy !== null)).toEqual([
      expect.objectContaining({ id: claim.item_id, claimedBy: claim.claimed_by }),
    ]);
  });

  it('answers 404 for an item that does not exist or a malformed id', async () => {
    expect((await clusterOf(a, 999).expect(404)).body.error).toBe('item_not_found');
    await request(t.app).get('/api/v1/items/01/cluster').set(asSession(a)).expect(404);
  });
});

describe('POST /api/v1/clusters/assessments', () => {
  it('gives each ticked item the assessment, pending confirmation, with one audit event per item naming the cluster', async () => {
    const { one, two, three, four } = family();
    const res = await applyToCluster(a, { itemIds: [three, one, four], assessment: illegalNational }).expect(201);
    expect(res.body.assessments.map((x: { itemId: number }) => x.itemId)).toEqual([three, one, four]);
    for (const item of [one, three, four]) {
      expect(row(t.database, 'select review_queue from items where id = ?', item).review_queue).toBe('to_confirm');
      expect(row(t.database, 'select * from assessments where item_id = ?', item)).toMatchObject({
        author_id: analystA.id,
        source: 'analyst',
        outcome: 'national',
        content: 'real_abuse',
        status: 'pending',
      });
    }
    // Not ticked, not assessed.
    expect(row(t.database, 'select review_queue from items where id = ?', two).review_queue).toBeNull();
    const events = rows(t.database, "select details from audit_events where action = 'assessment.create'");
    expect(events.map((e) => JSON.parse(e.details))).toEqual(
      [three, one, four].map((item) =>
        expect.objectContaining({ cluster: [one, three, four].sort((x, y) => x - y), about: [`item:${item}`] }),
      ),
    );
    // Each item's own history finds its event.
    const history = await request(t.app)
      .get(`/api/v1/audit?object=item:${four}`)
      .set(asSession(supervisor))
      .expect(200);
    expect(history.body.events.map((e: { action: string }) => e.action)).toEqual(['assessment.create']);
    // A second person confirms each as usual; the author may not.
    const mine = res.body.assessments[0].id;
    expect(
      (await request(t.app).post(`/api/v1/assessments/${mine}/confirm`).set(asSession(a)).send({})).body.error,
    ).toBe('self_confirmation');
  });

  it('takes "not illegal" and "gone" for a cluster too', async () => {
    const { one, two } = family();
    await applyToCluster(a, { itemIds: [one], assessment: { outcome: 'gone' } }).expect(201);
    await applyToCluster(a, { itemIds: [two], assessment: { legalStatus: 'not_illegal' } }).expect(201);
    expect(rows(t.database, 'select outcome from assessments order by id').map((r) => r.outcome)).toEqual([
      'gone',
      'not_illegal',
    ]);
  });

  it('is all or nothing: one item already pending refuses every item and changes nothing', async () => {
    const { one, two, three } = family();
    await request(t.app)
      .post(`/api/v1/items/${two}/assessments`)
      .set(asSession(b))
      .send({ legalStatus: 'not_illegal' })
      .expect(201);
    const before = { assessments: assessmentCount(), audit: auditCount() };
    const res = await applyToCluster(a, { itemIds: [one, two, three], assessment: illegalNational }).expect(409);
    expect(res.body).toMatchObject({ error: 'assessment_pending', message: expect.stringContaining('waiting') });
    expect({ assessments: assessmentCount(), audit: auditCount() }).toEqual(before);
    expect(row(t.database, 'select review_queue from items where id = ?', one).review_queue).toBeNull();
  });

  it('refuses an item claimed by another analyst, and a disputed one from an analyst', async () => {
    const { one, two } = family();
    await request(t.app).post('/api/v1/queue/next').set(asSession(b)).send({}).expect(200);
    const claimed = row(t.database, 'select item_id from item_reviews where claimed_by is not null').item_id;
    const free = claimed === one ? two : one;
    const res = await applyToCluster(a, { itemIds: [free, claimed], assessment: illegalNational }).expect(409);
    expect(res.body.error).toBe('claimed_by_other');
    expect(assessmentCount()).toBe(0);
    // B may: the claim is B's own.
    await applyToCluster(b, { itemIds: [free, claimed], assessment: illegalNational }).expect(201);

    t.database.sqlite.prepare("update items set review_queue = 'disputed' where id = ?").run(free);
    t.database.sqlite.prepare("update assessments set status = 'disputed' where item_id = ?").run(free);
    expect((await applyToCluster(a, { itemIds: [free], assessment: illegalNational }).expect(403)).body.error).toBe(
      'disputed_for_supervisors',
    );
    await applyToCluster(supervisor, { itemIds: [free], assessment: illegalNational }).expect(201);
  });

  it('refuses items that are not in one cluster, and one that does not exist', async () => {
    const { one, three, alone } = family();
    const before = { assessments: assessmentCount(), audit: auditCount() };
    const res = await applyToCluster(a, { itemIds: [one, three, alone], assessment: illegalNational }).expect(409);
    expect(res.body).toMatchObject({ error: 'not_in_cluster', message: expect.stringContaining('cluster') });
    expect((await applyToCluster(a, { itemIds: [999], assessment: illegalNational }).expect(404)).body.error).toBe(
      'item_not_found',
    );
    expect({ assessments: assessmentCount(), audit: auditCount() }).toEqual(before);
  });

  it('shows a large cluster 50 items at a time, and takes items ticked on any member’s screen', async () => {
    // A chain of 60 items, each showing its predecessor's file.
    const chain = [reportAndTriage(t, 'https://chain0.example.test/', [medium('link 0')])];
    for (let n = 1; n < 60; n++) {
      chain.push(reportAndTriage(t, `https://chain${n}.example.test/`, [medium(`link ${n - 1}`), medium(`link ${n}`)]));
    }
    const last = chain[59] as number;
    const { cluster } = (await clusterOf(a, last).expect(200)).body;
    expect(cluster.items).toHaveLength(50);
    expect(cluster.complete).toBe(false);
    // Ticked on the last item's screen; the walk from the first ticked one reaches them all.
    const ticked = [chain[5] as number, last];
    await applyToCluster(a, { itemIds: ticked, assessment: { legalStatus: 'not_illegal' } }).expect(201);
    expect(assessmentCount()).toBe(2);
  });

  it('refuses bad input naming each field, the assessment’s as assessment.FIELD, and changes nothing', async () => {
    const { one } = family();
    const before = { assessments: assessmentCount(), audit: auditCount() };
    const incomplete = await applyToCluster(a, {
      itemIds: [one],
      assessment: { legalStatus: 'baseline', content: 'nonsense' },
    }).expect(400);
    expect(Object.keys(incomplete.body.fields).sort()).toEqual([
      'assessment.content',
      'assessment.depiction',
      'assessment.mediaType',
      'assessment.siteType',
      'assessment.victimAgeGroup',
      'assessment.victimGender',
    ]);
    expect(incomplete.body.fields['assessment.depiction']).toBe('Required for an illegal assessment.');
    for (const [body, fields] of [
      [{ itemIds: [], assessment: illegalNational }, ['itemIds']],
      [{ itemIds: ['1'], assessment: illegalNational }, ['itemIds']],
      [{ itemIds: [one, -2], assessment: illegalNational }, ['itemIds']],
      [{ itemIds: Array.from({ length: 51 }, (_, i) => i + 1), assessment: illegalNational }, ['itemIds']],
      [{ itemIds: [one] }, ['assessment']],
      [{ itemIds: [one], assessment: 'national' }, ['assessment']],
      [{ itemIds: [one], assessment: illegalNational, extra: true }, ['extra']],
      [{ assessment: { legalStatus: 'bad' } }, ['assessment.legalStatus', 'itemIds']],
    ] as const) {
      const res = await applyToCluster(a, body).expect(400);
      expect(res.body.error).toBe('validation');
      expect(Object.keys(res.body.fields).sort()).toEqual(fields);
    }
    expect({ assessments: assessmentCount(), audit: auditCount() }).toEqual(before);
  });
});
