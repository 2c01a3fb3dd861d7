import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { Matcher } from '../../src/matching/matcher.ts';
import { sourceAssessmentOf } from '../../src/review/own-bank-entries.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { illegalBaseline } from '../support/assessments.ts';
import { addUser, asSession, sessionFor, type TestSession } from '../support/auth.ts';
import { row } from '../support/db.ts';
import { medium, reportAndTriage } from './fixtures.ts';

let t: TestApp;
let analyst: TestSession;
let otherAnalyst: TestSession;
let supervisor: TestSession;

beforeEach(async () => {
  t = createTestApp();
  analyst = sessionFor(t, await addUser(t, 'analyst'));
  otherAnalyst = sessionFor(t, await addUser(t, 'analyst'));
  supervisor = sessionFor(t, await addUser(t, 'supervisor'));
});

const illegal = { ...illegalBaseline, depiction: 'sexual_act' };

/** Assesses and confirms the item of `url` showing `seed`'s picture; returns the assessment id. */
async function confirmedOriginal(url: string, seed: string): Promise<number> {
  const itemId = reportAndTriage(t, url, [medium(seed)]);
  const created = await request(t.app)
    .post(`/api/v1/items/${itemId}/assessments`)
    .set(asSession(analyst))
    .send(illegal)
    .expect(201);
  await request(t.app)
    .post(`/api/v1/assessments/${created.body.assessment.id}/confirm`)
    .set(asSession(supervisor))
    .send({})
    .expect(200);
  return created.body.assessment.id;
}

/** A later item showing `seed`'s picture again, matched against the banks as triage does. */
function knownCopy(url: string, seed: string): number {
  const again = medium(seed);
  again.matches = new Matcher(t.database.db, t.config.matching).match({ ...again.signals, pdqVariants: null });
  return reportAndTriage(t, url, [again]);
}

const knownQueue = (s: TestSession, query = '') =>
  request(t.app).get(`/api/v1/queue/known${query}`).set(asSession(s)).set('Accept-Language', 'en');

describe('GET /api/v1/queue/known', () => {
  it('lists known items with their suggestion, its source and every medium’s signals and matches, no view', async () => {
    const source = await confirmedOriginal('https://a.example.test/', 'a');
    const known = knownCopy('https://mirror.example.test/', 'a');
    reportAndTriage(t, 'https://fresh.example.test/', [medium('fresh')]);
    const res = await knownQueue(supervisor).expect(200);
    expect(res.body.next).toBeNull();
    expect(res.body.items).toHaveLength(1);
    const [item] = res.body.items;
    const entry = row(t.database, "select id from bank_entries where signal_type = 'sha256'").id;
    expect(item).toMatchObject({
      id: known,
      url: 'https://mirror.example.test/',
      reportCount: 1,
      suggestion: {
        label: 'baseline/real_abuse',
        legalStatus: 'baseline',
        content: 'real_abuse',
        bank: 'hotline',
        bankEntryId: expect.any(Number),
        sourceAssessmentId: source,
      },
    });
    const [onlyMedium] = item.media;
    expect(onlyMedium).toMatchObject({ n: 0, mediaType: 'image/jpeg', sha256: medium('a').signals.sha256 });
    expect(onlyMedium.pdq).toBe(medium('a').signals.pdq);
    expect(onlyMedium.matches).toEqual(
      expect.arrayContaining([
        {
          bank: 'hotline',
          label: 'baseline/real_abuse',
          entryId: entry,
          signalType: 'sha256',
          distance: 0,
          variant: null,
          sourceAssessmentId: source,
        },
        expect.objectContaining({ signalType: 'pdq', distance: 0 }),
      ]),
    );
    // Nothing on this list leads to the content: no medium's address.
    expect(JSON.stringify(item)).not.toContain('cdn.example.test');
  });

  it('shows a near match with its distance and the rotation or flip it was found under', async () => {
    const source = await confirmedOriginal('https://a.example.test/', 'a');
    const entry = row(t.database, "select id, value from bank_entries where signal_type = 'pdq'");
    const turned = medium('a turned');
    turned.matches = [
      {
        bank: 'hotline',
        label: 'baseline/real_abuse',
        entryId: entry.id,
        signalType: 'pdq',
        value: entry.value,
        distance: 6,
        variant: 'rotate90',
      },
    ];
    const known = reportAndTriage(t, 'https://turned.example.test/', [turned]);
    expect(row(t.database, 'select state from items where id = ?', known).state).toBe('known');
    const [item] = (await knownQueue(supervisor).expect(200)).body.items;
    expect(item.media[0].matches).toEqual([
      expect.objectContaining({ signalType: 'pdq', distance: 6, variant: 'rotate90', sourceAssessmentId: source }),
    ]);
    expect(item.suggestion).toMatchObject({ bankEntryId: entry.id, sourceAssessmentId: source });
  });

  it('pages by keyset, oldest first', async () => {
    await confirmedOriginal('https://a.example.test/', 'a');
    const ids = [1, 2, 3].map((n) => knownCopy(`https://mirror${n}.example.test/`, 'a'));
    const first = (await knownQueue(supervisor, '?limit=2').expect(200)).body;
    expect(first.items.map((i: { id: number }) => i.id)).toEqual(ids.slice(0, 2));
    const second = (await knownQueue(supervisor, `?limit=2&cursor=${first.next}`).expect(200)).body;
    expect(second.items.map((i: { id: number }) => i.id)).toEqual(ids.slice(2));
    expect(second.next).toBeNull();
  });

  it('leaves an item once confirmed', async () => {
    await confirmedOriginal('https://a.example.test/', 'a');
    const known = knownCopy('https://mirror.example.test/', 'a');
    await request(t.app)
      .post('/api/v1/queue/known/confirm')
      .set(asSession(supervisor))
      .send({ itemIds: [known] })
      .expect(200);
    expect((await knownQueue(supervisor).expect(200)).body.items).toEqual([]);
  });

  it('is for supervisors and admins; bad paging is refused naming the field', async () => {
    expect((await knownQueue(otherAnalyst).expect(403)).body.error).toBe('forbidden');
    for (const query of ['?cursor=0', '?limit=500', '?cursor=abc', '?state=new']) {
      const res = await knownQueue(supervisor, query).expect(400);
      expect(res.body.error).toBe('validation');
      expect(Object.keys(res.body.fields)).toHaveLength(1);
    }
  });
});

describe('sourceAssessmentOf', () => {
  it('reads the assessment back from an own-bank entry’s source, and nothing from any other source', () => {
    expect(sourceAssessmentOf('assessment:42 confirmed_by:user:7')).toBe(42);
    expect(sourceAssessmentOf('assessment:42')).toBe(42);
    for (const other of [
      null,
      '',
      'partner-ref-42',
      'assessment:',
      'assessment:4x2',
      'assessment:-1',
      'xassessment:4',
    ]) {
      expect(sourceAssessmentOf(other)).toBeNull();
    }
  });
});

describe('GET /api/v1/items/:id: where each match comes from, and who holds the claim', () => {
  it('gives each match and the suggestion their source reference, source assessment and its item', async () => {
    const source = await confirmedOriginal('https://a.example.test/', 'a');
    const sourceItem = row(t.database, 'select item_id from assessments where id = ?', source).item_id;
    const known = knownCopy('https://mirror.example.test/', 'a');
    const { item } = (await request(t.app).get(`/api/v1/items/${known}`).set(asSession(supervisor)).expect(200)).body;
    expect(item.media[0].matches.length).toBeGreaterThanOrEqual(2);
    for (const match of item.media[0].matches) {
      expect(match).toMatchObject({ bank: 'hotline', sourceAssessmentId: source, sourceItemId: sourceItem });
      expect(match.sourceRef).toMatch(new RegExp(`^assessment:${source}\\b`));
    }
    expect(item.suggestion).toMatchObject({ sourceAssessmentId: source, sourceItemId: sourceItem });
  });

  it('names the analyst holding a live claim, for everyone who opens the item', async () => {
    const itemId = reportAndTriage(t, 'https://claimed.example.test/', [medium('claimed')]);
    await request(t.app).post('/api/v1/queue/next').set(asSession(analyst)).expect(200);
    const seen = (await request(t.app).get(`/api/v1/items/${itemId}`).set(asSession(otherAnalyst)).expect(200)).body;
    const holder = row(t.database, 'select claimed_by from item_reviews where item_id = ?', itemId).claimed_by;
    const username = row(t.database, 'select username from users where id = ?', holder).username;
    expect(seen.item.review.claim).toEqual({ userId: holder, username, until: expect.any(String) });
    t.clock.advance(16 * 60_000);
    const later = (await request(t.app).get(`/api/v1/items/${itemId}`).set(asSession(supervisor)).expect(200)).body;
    expect(later.item.review.claim).toBeNull();
  });
});
