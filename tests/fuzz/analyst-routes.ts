import fc from 'fast-check';
import type request from 'supertest';
import { expect } from 'vitest';
import { analystLanguages } from '../../src/auth/languages.ts';
import { roles } from '../../src/auth/roles.ts';
import { csvHeader } from '../../src/banks/formats/csv.ts';
import { channelNames, directoryConfidences, forwardStates } from '../../src/db/schema/forwarding.ts';
import { exportFormats } from '../../src/forwarding/export/export-files.ts';
import { languages } from '../../src/http/i18n.ts';
import { queueNames } from '../../src/review/queue.ts';
import {
  contentCategories,
  depictions,
  legalStatuses,
  victimAgeGroups,
  victimGenders,
} from '../../src/taxonomy/taxonomy.ts';
import { mediaTypes, reportCategories, reportedSiteTypes, siteTypes } from '../../src/taxonomy/vocabulary.ts';
import type { TestSession } from '../support/auth.ts';
import { type Json, maybe, oddKey, wild } from './fuzz-kit.ts';

/**
 * One arbitrary per analyst route of the policy table (src/auth/policy.ts), keyed `METHOD PATH`:
 * tests/fuzz/analyst-routes.test.ts fails when a route has none. Each mixes requests that get
 * past validation (real ids, valid bodies with an edit or two) with hostile ones.
 */

/** What the fixtures of the test file made: the sessions and the rows the requests aim at. */
export interface Fixtures {
  analyst: TestSession;
  /** Another analyst: not the author of the pending assessment, holds no claim. */
  otherAnalyst: TestSession;
  supervisor: TestSession;
  admin: TestSession;
  analystPassword: string;
  targetUserId: number;
  adminUserId: number;
  /** Items: waiting for an assessment, with one pending, decided, a cluster of two, a known copy. */
  freeItem: number;
  pendingItem: number;
  decidedItem: number;
  clusterItems: readonly number[];
  knownItem: number;
  claimedItem: number;
  pendingAssessment: number;
  decidedAssessment: number;
  forward: number;
  providerDestination: number;
  providerAsn: number;
  partnerDestination: number;
  contactReport: number;
  /** A counted safe view the analyst has open (its `X-View-Id`). */
  openView: string;
  partnerBank: string;
  ownBank: string;
}

export type Body =
  | { kind: 'json'; value: unknown }
  | { kind: 'raw'; text: string; type: string }
  | { kind: 'file'; field: string; name: string; bytes: Buffer }
  | { kind: 'none' };

export interface FuzzRequest {
  as: TestSession;
  /** Path with its parameters in place, percent-encoded. */
  path: string;
  /** Query pairs, sent in this order (a key may repeat). */
  query?: readonly (readonly [string, string])[];
  body: Body;
}

export interface RouteFuzz {
  /** Cases at scale 1. */
  cases: number;
  request: (f: Fixtures) => fc.Arbitrary<FuzzRequest>;
  /** The fields the route's body (or query) schema knows; any other key of an object must be named. */
  known?: readonly string[];
  /** The field a union schema chooses its branch by (see expectLocalisedRefusal). */
  discriminator?: string;
  /** Requests run before the random ones, every time: the bugs the fuzzing found. */
  examples?: (f: Fixtures) => FuzzRequest[];
  /** A 2xx answer is well-formed for what was sent. */
  ok?: (res: request.Response, req: FuzzRequest, f: Fixtures) => void;
}

/** Every byte percent-encoded: any string (lone surrogates included) becomes a path segment. */
const encodeAll = (text: string) => [...Buffer.from(text)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
const segment = (value: unknown) =>
  typeof value === 'string' && !/^[\w.-]*$/.test(value) ? encodeAll(value) : encodeURIComponent(String(value));

/** A path id: mostly one of `real`, else a near miss (zero, sign, space, leading zero, huge, text). */
const idOf = (...real: number[]) =>
  fc
    .oneof(
      { weight: 8, arbitrary: fc.constantFrom(...real) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 40 }) },
      {
        weight: 1,
        arbitrary: fc.constantFrom('0', '-1', '1e3', ' 1', '01', '0x10', '9007199254740993', '１', 'NaN', '1.0'),
      },
      // Never empty: `/items/` is another route (the list).
      { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }) },
    )
    .map(segment);

type Edit =
  | { kind: 'drop'; at: number }
  | { kind: 'set'; at: number; value: unknown }
  | { kind: 'add'; key: string; value: unknown };
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: wild }),
  fc.record({ kind: fc.constant('add' as const), key: oddKey, value: wild }),
);

/** A valid object with up to two edits (a key dropped, a value replaced, a key added), often none. */
export function near(valid: fc.Arbitrary<Json>): fc.Arbitrary<unknown> {
  const edits = fc.oneof(
    { weight: 2, arbitrary: fc.constant([]) },
    { weight: 1, arbitrary: fc.array(edit, { minLength: 1, maxLength: 2 }) },
  );
  return fc.tuple(valid, edits).map(([object, edits]) => {
    const out: Json = { ...object };
    for (const e of edits) {
      const keys = Object.keys(out);
      if (e.kind === 'add')
        Object.defineProperty(out, e.key, { value: e.value, enumerable: true, writable: true, configurable: true });
      else if (keys.length > 0) {
        const key = keys[e.at % keys.length] as string;
        if (e.kind === 'drop') delete out[key];
        else out[key] = e.value;
      }
    }
    return out;
  });
}

/** Bodies near `valid` most of the time, else any object or any JSON value. */
const jsonBody = (valid: fc.Arbitrary<Json>) =>
  fc.oneof(
    { weight: 8, arbitrary: near(valid) },
    { weight: 1, arbitrary: fc.dictionary(oddKey, wild, { maxKeys: 5 }) },
    { weight: 1, arbitrary: wild },
  );

/** The body as sent: mostly JSON, sometimes broken JSON or another content type. */
const sent = (value: fc.Arbitrary<unknown>): fc.Arbitrary<Body> =>
  fc.oneof(
    { weight: 12, arbitrary: value.map((v): Body => ({ kind: 'json', value: v })) },
    {
      weight: 1,
      arbitrary: fc
        .record({
          text: fc.oneof(
            fc.string({ unit: 'binary', maxLength: 60 }),
            fc.constantFrom('{', '{"a":', '[1,', '\u0000', ''),
          ),
          type: fc.constantFrom(
            'application/json',
            'text/plain',
            'application/x-www-form-urlencoded',
            'application/json; charset=utf-16',
            'multipart/form-data; boundary=x',
          ),
        })
        .map((r): Body => ({ kind: 'raw', ...r })),
    },
  );

const text = (max: number) => fc.oneof(fc.string({ maxLength: max }), fc.string({ unit: 'binary', maxLength: 20 }));
const some = (max: number) => fc.string({ minLength: 1, maxLength: max }).filter((s) => s.trim().length > 0);
const opt = { requiredKeys: [] as never[] };

const illegalJudgement = fc.record({
  legalStatus: fc.constantFrom('baseline', 'national'),
  content: fc.constantFrom(...contentCategories),
  mediaType: fc.constantFrom(...mediaTypes),
  victimAgeGroup: fc.constantFrom(...victimAgeGroups),
  victimGender: fc.constantFrom(...victimGenders),
  siteType: fc.constantFrom(...siteTypes),
  depiction: fc.constantFrom(...depictions),
  comment: text(80),
});
const assessment: fc.Arbitrary<Json> = fc.oneof(
  { weight: 4, arbitrary: illegalJudgement },
  { weight: 1, arbitrary: fc.record({ legalStatus: fc.constantFrom(...legalStatuses), comment: text(40) }, opt) },
  {
    weight: 1,
    arbitrary: fc.record({ outcome: fc.constant('gone'), comment: text(40) }, { requiredKeys: ['outcome'] }),
  },
);
const judgementKeys = [
  'legalStatus',
  'content',
  'mediaType',
  'victimAgeGroup',
  'victimGender',
  'siteType',
  'depiction',
  'comment',
  'outcome',
];

/** An array of ids, mostly from `pool`, sometimes anything. */
const idArray = (pool: readonly number[], max: number) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.subarray([...pool], { minLength: 1 }) },
    { weight: 1, arbitrary: fc.array(fc.oneof(fc.constantFrom(...pool), fc.integer(), wild), { maxLength: max }) },
  );

const hex = (bytes: number) =>
  fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Buffer.from(b).toString('hex'));
const csvLine = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(hex(32), fc.constantFrom('baseline', 'national/real_abuse', 'not_illegal'))
      .map(([v, l]) => `sha256,${v},${l},partner`),
  },
  { weight: 1, arbitrary: hex(16).map((v) => `md5,${v},baseline,"ref, with ""quotes"""`) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 1, arbitrary: fc.constantFrom('sha256,zz,baseline,x', '"open quote,', 'pdq,00,baseline,x', ',,,', 'a,b') },
);
const bankFile = fc.oneof(
  { weight: 4, arbitrary: fc.array(csvLine, { maxLength: 8 }).map((lines) => [csvHeader, ...lines].join('\n')) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')) },
);

const strongPassword = fc.constantFrom('another sturdy horse battery staple 77', 'quiet violet lantern harbour 2026');
const password = fc.oneof(
  { weight: 1, arbitrary: strongPassword },
  {
    weight: 4,
    arbitrary: fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('password', 'aaaaaaaaaaaaaaaa', 'short')),
  },
);
const isoDay = fc
  .date({ min: new Date(Date.UTC(2020, 0, 1)), max: new Date(Date.UTC(2030, 0, 1)), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const queryValue = (good: fc.Arbitrary<string>) =>
  fc.oneof({ weight: 12, arbitrary: good }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) });

/** Query pairs near `valid` (an object of strings): a pair dropped, a value changed, a key added or repeated. */
const queryOf = (valid: fc.Arbitrary<Record<string, string>>) =>
  fc
    .tuple(
      valid,
      fc.oneof(
        { weight: 3, arbitrary: fc.constant([]) },
        {
          weight: 1,
          arbitrary: fc.array(
            fc.oneof(
              fc.tuple(
                fc.oneof(oddKey, fc.constantFrom('limit', 'cursor', 'lang')),
                fc.string({ unit: 'binary', maxLength: 30 }),
              ),
              fc.tuple(fc.constant('lang'), fc.constantFrom(...languages)),
            ),
            { minLength: 1, maxLength: 2 },
          ),
        },
      ),
    )
    .map(([object, extra]) => [...Object.entries(object), ...extra] as const);

/** Query parameters, each one absent or present with a mostly good value; `required` ones mostly present. */
const pairs = (entries: [string, fc.Arbitrary<string>][], required: readonly string[] = []) =>
  fc
    .record(
      Object.fromEntries(
        entries.map(([k, v]) => [
          k,
          required.includes(k)
            ? fc.oneof({ weight: 12, arbitrary: queryValue(v) }, { weight: 1, arbitrary: fc.constant(undefined) })
            : maybe(queryValue(v)),
        ]),
      ),
      { requiredKeys: [] },
    )
    .map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Record<string, string>);

const none = fc.constant<Body>({ kind: 'none' });
/** A body a route ignores: none, or anything. */
const ignored = fc.oneof({ weight: 3, arbitrary: none }, { weight: 1, arbitrary: sent(wild) });

const route = (
  cases: number,
  request: RouteFuzz['request'],
  rest: Omit<RouteFuzz, 'cases' | 'request'> = {},
): RouteFuzz => ({ cases, request, ...rest });

const plain =
  (path: string, as: (f: Fixtures) => TestSession, body: fc.Arbitrary<Body> = ignored) =>
  (f: Fixtures) =>
    body.map((b): FuzzRequest => ({ as: as(f), path, body: b }));

const withId =
  (
    template: (id: string) => string,
    ids: (f: Fixtures) => number[],
    as: (f: Fixtures) => fc.Arbitrary<TestSession>,
    body: fc.Arbitrary<Body>,
  ) =>
  (f: Fixtures) =>
    fc
      .record({ id: idOf(...ids(f)), as: as(f), body })
      .map(({ id, as: who, body: b }): FuzzRequest => ({ as: who, path: template(id), body: b }));

const withQuery =
  (path: string, as: (f: Fixtures) => TestSession, query: fc.Arbitrary<readonly (readonly [string, string])[]>) =>
  (f: Fixtures) =>
    query.map((q): FuzzRequest => ({ as: as(f), path, query: q, body: { kind: 'none' } }));

const analyst = (f: Fixtures) => f.analyst;
const supervisor = (f: Fixtures) => f.supervisor;
const admin = (f: Fixtures) => f.admin;
const just = (pick: (f: Fixtures) => TestSession) => (f: Fixtures) => fc.constant(pick(f));
const idInPath = (path: string) => Number(decodeURIComponent(/\/(\d+)(\/|$)/.exec(path)?.[1] ?? 'NaN'));

const sentJson = (req: FuzzRequest): Json => (req.body.kind === 'json' ? (req.body.value as Json) : {});

/** The routes whose body is empty: nothing in it is read, so only their ids and stray bodies are fuzzed. */
export const emptyBodyRoutes = [
  'POST /api/v1/queue/next',
  'POST /api/v1/items/:id/release',
  'POST /api/v1/users/:id/unlock',
  'DELETE /api/v1/session',
] as const;

export const analystRoutes: Record<string, RouteFuzz> = {
  'POST /api/v1/items/:id/assessments': route(
    900,
    withId(
      (id) => `/api/v1/items/${id}/assessments`,
      (f) => [f.freeItem, f.freeItem, f.pendingItem, f.decidedItem, f.claimedItem, ...f.clusterItems],
      (f) => fc.constantFrom(f.analyst, f.analyst, f.otherAnalyst, f.supervisor),
      sent(jsonBody(assessment)),
    ),
    {
      known: judgementKeys,
      ok: (res, req) => {
        expect(res.status).toBe(201);
        expect(res.body.assessment).toMatchObject({ itemId: idInPath(req.path), status: 'pending' });
      },
    },
  ),
  'POST /api/v1/assessments/:id/confirm': route(
    400,
    withId(
      (id) => `/api/v1/assessments/${id}/confirm`,
      (f) => [f.pendingAssessment, f.pendingAssessment, f.decidedAssessment],
      (f) => fc.constantFrom(f.supervisor, f.supervisor, f.supervisor, f.supervisor, f.analyst, f.otherAnalyst),
      sent(jsonBody(fc.record({ comment: text(80) }, opt))),
    ),
    {
      known: ['comment'],
      ok: (res, req) => expect(res.body.assessment).toMatchObject({ id: idInPath(req.path), status: 'confirmed' }),
    },
  ),
  'POST /api/v1/assessments/:id/dispute': route(
    400,
    withId(
      (id) => `/api/v1/assessments/${id}/dispute`,
      (f) => [f.pendingAssessment, f.pendingAssessment, f.decidedAssessment],
      (f) => fc.constantFrom(f.supervisor, f.supervisor, f.supervisor, f.supervisor, f.analyst, f.otherAnalyst),
      sent(jsonBody(fc.record({ comment: some(80) }))),
    ),
    {
      known: ['comment'],
      ok: (res, req) => expect(res.body.assessment).toMatchObject({ id: idInPath(req.path), status: 'disputed' }),
    },
  ),
  'POST /api/v1/clusters/assessments': route(
    500,
    (f) =>
      fc
        .record({
          as: fc.constantFrom(f.analyst, f.supervisor),
          body: sent(
            jsonBody(
              fc.record({
                itemIds: idArray([...f.clusterItems, f.freeItem], 51),
                assessment: fc.oneof({ weight: 3, arbitrary: assessment }, { weight: 1, arbitrary: near(assessment) }),
              }) as fc.Arbitrary<Json>,
            ),
          ),
        })
        .map(({ as, body }): FuzzRequest => ({ as, path: '/api/v1/clusters/assessments', body })),
    {
      known: ['itemIds', 'assessment'],
      ok: (res, req) => {
        expect(res.status).toBe(201);
        const ids = [...new Set(sentJson(req).itemIds as number[])];
        expect(res.body.assessments.map((a: { itemId: number }) => a.itemId)).toEqual(ids);
      },
    },
  ),
  'POST /api/v1/queue/known/confirm': route(
    400,
    (f) =>
      sent(
        jsonBody(
          fc.record(
            { itemIds: idArray([f.knownItem, f.freeItem], 501), comment: text(80) },
            { requiredKeys: ['itemIds'] },
          ),
        ),
      ).map((body): FuzzRequest => ({ as: f.supervisor, path: '/api/v1/queue/known/confirm', body })),
    {
      known: ['itemIds', 'comment'],
      ok: (res, req) => expect(res.body.assessments).toHaveLength(new Set(sentJson(req).itemIds as number[]).size),
    },
  ),
  'PATCH /api/v1/settings': route(
    500,
    plain(
      '/api/v1/settings',
      admin,
      sent(
        jsonBody(
          fc.record(
            {
              exposureLimitMinutes: fc.integer({ min: 1, max: 1440 }),
              statusDelayHours: fc.integer({ min: 0, max: 720 }),
              statusDelayRandomHours: fc.integer({ min: 0, max: 720 }),
              analystsMayConfirm: fc.boolean(),
              exposureBlurLevel: fc.integer({ min: 0, max: 6 }),
            },
            opt,
          ),
        ),
      ),
    ),
    {
      known: [
        'exposureLimitMinutes',
        'statusDelayHours',
        'statusDelayRandomHours',
        'analystsMayConfirm',
        'exposureBlurLevel',
      ],
      ok: (res, req) => expect(res.body.settings).toMatchObject(sentJson(req)),
    },
  ),
  'POST /api/v1/destinations': route(
    400,
    (f) =>
      sent(
        jsonBody(
          fc.oneof(
            fc.record(
              {
                kind: fc.constantFrom('hosting_provider', 'hosting_provider', 'hosting_provider', 'police'),
                asn: fc.oneof(
                  { weight: 4, arbitrary: fc.integer({ min: 1, max: 4_294_967_295 }) },
                  { weight: 1, arbitrary: fc.constantFrom(f.providerAsn, 0, 4_294_967_296, 1.5) },
                ),
                name: some(60),
                contact: fc.oneof(fc.emailAddress(), fc.constantFrom('abuse@cdn.example.test', 'noc@net.example.test')),
                country: fc.constantFrom('NL', 'DE', 'FR', 'nl', null),
                language: fc.constantFrom(...languages, null),
                approved: fc.boolean(),
                source: some(60),
                asOf: fc.oneof(isoDay, fc.constant(null)),
                confidence: fc.constantFrom(...directoryConfidences, null),
              },
              { requiredKeys: ['kind', 'asn', 'name', 'contact', 'source'] },
            ),
            fc.record(
              {
                kind: fc.constant('partner_hotline'),
                // NL has its seeded hotline (409); XK and XY have none.
                country: fc.constantFrom('XK', 'XY', 'NL', 'nl', 'BEL'),
                name: some(60),
                contact: fc.oneof(fc.emailAddress(), fc.constantFrom('https://hotline.example.test/report', '')),
                channel: fc.constantFrom('drop_folder', 'iccam', 'email', 'fax', null),
                language: fc.constantFrom(...languages, null),
                source: some(60),
                asOf: fc.oneof(isoDay, fc.constant(null)),
                confidence: fc.constantFrom(...directoryConfidences, null),
              },
              { requiredKeys: ['kind', 'country', 'name', 'contact', 'source'] },
            ),
          ),
        ),
      ).map((body): FuzzRequest => ({ as: f.admin, path: '/api/v1/destinations', body })),
    {
      known: [
        'kind',
        'asn',
        'name',
        'contact',
        'country',
        'channel',
        'language',
        'approved',
        'source',
        'asOf',
        'confidence',
      ],
      discriminator: 'kind',
      ok: (res, req) => {
        expect(res.status).toBe(201);
        const body = sentJson(req) as { kind?: string; asn?: number; country?: string };
        expect(res.body.destination).toMatchObject(
          body.kind === 'partner_hotline'
            ? { kind: 'partner_hotline', country: body.country }
            : { kind: 'hosting_provider', asn: body.asn },
        );
      },
    },
  ),
  'PATCH /api/v1/destinations/:id': route(
    400,
    withId(
      (id) => `/api/v1/destinations/${id}`,
      (f) => [f.providerDestination, f.partnerDestination],
      just(admin),
      sent(
        jsonBody(
          fc.record(
            {
              name: some(60),
              contact: fc.oneof(fc.emailAddress(), fc.constant(null)),
              approved: fc.boolean(),
              active: fc.boolean(),
              source: some(60),
              asOf: fc.oneof(isoDay, fc.constant(null)),
              confidence: fc.constantFrom(...directoryConfidences, null),
              channel: fc.constantFrom(...channelNames, null),
              language: fc.constantFrom(...languages, null),
            },
            opt,
          ),
        ),
      ),
    ),
    {
      known: ['name', 'contact', 'approved', 'active', 'source', 'asOf', 'confidence', 'channel', 'language'],
      ok: (res, req) => {
        expect(res.body.destination.id).toBe(idInPath(req.path));
        for (const [key, value] of Object.entries(sentJson(req))) {
          expect(res.body.destination[key]).toEqual(typeof value === 'string' ? value.trim() : value);
        }
      },
    },
  ),
  'PATCH /api/v1/forwards/:id': route(
    400,
    withId(
      (id) => `/api/v1/forwards/${id}`,
      (f) => [f.forward],
      just(supervisor),
      sent(
        jsonBody(
          fc.record(
            { state: fc.constantFrom(...forwardStates), receiverReference: some(40) },
            { requiredKeys: ['state'] },
          ),
        ),
      ),
    ),
    {
      known: ['state', 'receiverReference'],
      ok: (res, req) => expect(res.body.forward).toMatchObject({ id: idInPath(req.path), state: sentJson(req).state }),
    },
  ),
  'PATCH /api/v1/banks/:name': route(
    300,
    (f) =>
      fc
        .record({
          name: fc.oneof(
            { weight: 4, arbitrary: fc.constantFrom(f.partnerBank, f.ownBank) },
            {
              weight: 1,
              arbitrary: fc.oneof(
                fc.constantFrom('nope', 'UPPER', '-x', 'a'.repeat(70)),
                fc.string({ unit: 'binary', maxLength: 12 }),
              ),
            },
          ),
          body: sent(jsonBody(fc.record({ enabled: fc.boolean() }))),
        })
        .map(({ name, body }): FuzzRequest => ({ as: f.admin, path: `/api/v1/banks/${segment(name)}`, body })),
    {
      known: ['enabled'],
      ok: (res, req) => expect(res.body.bank).toMatchObject({ enabled: sentJson(req).enabled }),
    },
  ),
  'POST /api/v1/banks/:name/imports': route(
    300,
    (f) =>
      fc
        .record({
          name: fc.oneof(
            { weight: 4, arbitrary: fc.constantFrom(f.partnerBank, f.ownBank, 'fresh-list') },
            {
              weight: 1,
              arbitrary: fc.oneof(fc.constantFrom('UPPER', '-x'), fc.string({ unit: 'binary', maxLength: 12 })),
            },
          ),
          body: fc.oneof(
            {
              weight: 6,
              arbitrary: fc
                .record({
                  field: fc.oneof(
                    { weight: 5, arbitrary: fc.constant('file') },
                    { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 8 }).filter((s) => /^\w+$/.test(s)) },
                  ),
                  name: fc.constantFrom('list.csv', 'hashes.json', 'x'),
                  bytes: bankFile.map((t) => Buffer.from(t)),
                })
                .map((r): Body => ({ kind: 'file', ...r })),
            },
            { weight: 1, arbitrary: sent(wild) },
            { weight: 1, arbitrary: none },
          ),
        })
        .map(({ name, body }): FuzzRequest => ({ as: f.admin, path: `/api/v1/banks/${segment(name)}/imports`, body })),
    {
      // An empty multipart body was a 500 (busboy's "Unexpected end of form" is no MulterError).
      examples: (f) => [
        {
          as: f.admin,
          path: `/api/v1/banks/${f.partnerBank}/imports`,
          body: { kind: 'raw', text: '', type: 'multipart/form-data; boundary=x' },
        },
      ],
      ok: (res) => {
        expect(res.status).toBe(201);
        expect(['csv', 'vics']).toContain(res.body.import.format);
        expect(res.body.import.rows).toBeGreaterThanOrEqual(res.body.import.inserted);
      },
    },
  ),
  'PATCH /api/v1/session': route(
    300,
    plain(
      '/api/v1/session',
      analyst,
      sent(jsonBody(fc.record({ language: fc.constantFrom(...analystLanguages, 'de') }))),
    ),
    {
      known: ['language'],
      ok: (res, req) => expect(res.body.user.language).toBe(sentJson(req).language),
    },
  ),
  'POST /api/v1/session/password': route(
    150,
    (f) =>
      sent(
        jsonBody(
          fc.record({
            current: fc.oneof(
              { weight: 3, arbitrary: fc.constant(f.analystPassword) },
              { weight: 1, arbitrary: password },
            ),
            new: fc.oneof({ weight: 1, arbitrary: fc.constant(f.analystPassword) }, { weight: 3, arbitrary: password }),
          }),
        ),
      ).map((body): FuzzRequest => ({ as: f.analyst, path: '/api/v1/session/password', body })),
    { known: ['current', 'new'], ok: (res) => expect(res.status).toBe(204) },
  ),
  'POST /api/v1/users': route(
    300,
    plain(
      '/api/v1/users',
      admin,
      sent(
        jsonBody(
          fc.record({
            username: fc.oneof(fc.stringMatching(/^[a-z][a-z0-9._-]{2,12}$/), text(20)),
            role: fc.constantFrom(...roles),
            password,
          }),
        ),
      ),
    ),
    {
      known: ['username', 'role', 'password'],
      ok: (res, req) => {
        expect(res.status).toBe(201);
        expect(res.body.user).toMatchObject({ role: sentJson(req).role });
      },
    },
  ),
  'PATCH /api/v1/users/:id': route(
    400,
    withId(
      (id) => `/api/v1/users/${id}`,
      (f) => [f.targetUserId, f.adminUserId],
      just(admin),
      sent(jsonBody(fc.record({ disabled: fc.boolean(), role: fc.constantFrom(...roles) }, opt))),
    ),
    {
      known: ['disabled', 'role'],
      ok: (res, req) => expect(res.body.user).toMatchObject({ id: idInPath(req.path), ...sentJson(req) }),
    },
  ),
  'POST /api/v1/users/:id/reset': route(
    150,
    withId(
      (id) => `/api/v1/users/${id}/reset`,
      (f) => [f.targetUserId],
      just(admin),
      sent(jsonBody(fc.record({ password }))),
    ),
    { known: ['password'], ok: (res) => expect(res.body.totpSecret ?? res.body.user).toBeDefined() },
  ),
  'POST /api/v1/users/:id/unlock': route(
    150,
    withId(
      (id) => `/api/v1/users/${id}/unlock`,
      (f) => [f.targetUserId],
      just(admin),
      ignored,
    ),
    { ok: (res, req) => expect(res.body.user.id).toBe(idInPath(req.path)) },
  ),
  'POST /api/v1/items/:id/skip': route(
    300,
    withId(
      (id) => `/api/v1/items/${id}/skip`,
      (f) => [f.freeItem, f.claimedItem],
      (f) => fc.constantFrom(f.analyst, f.otherAnalyst),
      sent(jsonBody(fc.record({ reason: some(80) }))),
    ),
    { known: ['reason'], ok: (res) => expect(res.status).toBe(204) },
  ),
  'POST /api/v1/views/:viewId/heartbeat': route(
    150,
    (f) =>
      fc
        .record({
          viewId: fc.oneof(
            { weight: 4, arbitrary: fc.constant(f.openView) },
            { weight: 1, arbitrary: fc.constantFrom('x', 'A'.repeat(64), 'A'.repeat(65), '..', '%2e') },
            { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }).map(segment) },
          ),
          as: fc.constantFrom(f.analyst, f.analyst, f.otherAnalyst),
          body: sent(jsonBody(fc.record({ hidden: fc.boolean() }, opt))),
        })
        .map(({ viewId, as, body }): FuzzRequest => ({ as, path: `/api/v1/views/${viewId}/heartbeat`, body })),
    {
      known: ['hidden'],
      ok: (res) => {
        expect(typeof res.body.chargedMs).toBe('number');
        expect(typeof res.body.exposure.usedMs).toBe('number');
      },
    },
  ),
  'POST /api/v1/items/:id/release': route(
    150,
    withId(
      (id) => `/api/v1/items/${id}/release`,
      (f) => [f.claimedItem, f.freeItem],
      (f) => fc.constantFrom(f.analyst, f.otherAnalyst),
      ignored,
    ),
    { ok: (res) => expect(res.status).toBe(204) },
  ),
  'POST /api/v1/queue/next': route(100, plain('/api/v1/queue/next', analyst), {
    ok: (res) => (res.status === 204 ? expect(res.text).toBe('') : expect(typeof res.body.item.id).toBe('number')),
  }),
  'DELETE /api/v1/session': route(100, plain('/api/v1/session', analyst), {
    ok: (res) => expect(res.status).toBe(204),
  }),

  // Reads that take a query.
  'GET /api/v1/items': route(
    400,
    withQuery(
      '/api/v1/items',
      analyst,
      queryOf(
        pairs([
          ['state', fc.constantFrom(...queueNames)],
          ['category', fc.constantFrom(...reportCategories)],
          ['country', fc.constantFrom('BE', 'nl', 'XX')],
          ['siteType', fc.constantFrom(...reportedSiteTypes)],
          ['matched', fc.constantFrom('true', 'false')],
          ['from', isoDay],
          ['to', isoDay],
          ['cursor', fc.integer({ min: 1, max: 50 }).map(String)],
          ['limit', fc.integer({ min: 1, max: 200 }).map(String)],
        ]),
      ),
    ),
    {
      known: ['state', 'category', 'country', 'siteType', 'matched', 'from', 'to', 'cursor', 'limit'],
      ok: (res) => {
        expect(Array.isArray(res.body.items)).toBe(true);
        expect(res.body.next === null || typeof res.body.next === 'number').toBe(true);
      },
    },
  ),
  'GET /api/v1/stats': route(
    300,
    withQuery(
      '/api/v1/stats',
      supervisor,
      queryOf(
        pairs(
          [
            ['from', isoDay],
            ['to', isoDay],
            ['format', fc.constantFrom('json', 'csv')],
          ],
          ['from', 'to'],
        ),
      ),
    ),
    {
      known: ['from', 'to', 'format'],
      ok: (res) => {
        if (res.type === 'text/csv') expect(res.text.length).toBeGreaterThan(0);
        else expect(typeof res.body.period.from).toBe('string');
      },
    },
  ),
  'GET /api/v1/exports': route(
    200,
    withQuery(
      '/api/v1/exports',
      supervisor,
      queryOf(
        pairs(
          [
            ['to', fc.constantFrom('police', 'interpol', 'partner:NL', 'partner:nl')],
            [
              'since',
              fc.oneof(
                { weight: 4, arbitrary: isoDay },
                { weight: 1, arbitrary: fc.constantFrom('2026-11-01T00:00:00Z', '2026-02-30') },
              ),
            ],
            [
              'format',
              fc
                .oneof(
                  { weight: 4, arbitrary: fc.subarray([...exportFormats], { minLength: 1 }) },
                  { weight: 1, arbitrary: fc.constant(['json', 'json']) },
                )
                .map((f) => f.join(',')),
            ],
          ],
          ['to', 'since'],
        ),
      ),
    ),
    {
      known: ['to', 'since', 'format'],
      // Refused after the route had set the zip's type and file name: the refusal came as application/zip.
      examples: (f) => [
        {
          as: f.supervisor,
          path: '/api/v1/exports',
          query: [
            ['to', 'police'],
            ['since', '2030-01-01'],
          ],
          body: { kind: 'none' },
        },
      ],
      ok: (res) => expect(res.headers['content-type']).toMatch(/zip/),
    },
  ),
  'GET /api/v1/audit': route(
    300,
    withQuery(
      '/api/v1/audit',
      supervisor,
      queryOf(
        pairs([
          ['object', fc.constantFrom('user', 'item:1', 'user:2', 'bank:partner-list', 'BAD')],
          ['before', fc.integer({ min: 1, max: 40 }).map(String)],
          ['limit', fc.integer({ min: 1, max: 250 }).map(String)],
        ]),
      ),
    ),
    { known: ['object', 'before', 'limit'], ok: (res) => expect(Array.isArray(res.body.events)).toBe(true) },
  ),
  'GET /api/v1/queue/known': route(
    150,
    withQuery(
      '/api/v1/queue/known',
      supervisor,
      queryOf(
        pairs([
          ['cursor', fc.integer({ min: 1, max: 50 }).map(String)],
          ['limit', fc.integer({ min: 1, max: 250 }).map(String)],
        ]),
      ),
    ),
    { known: ['cursor', 'limit'], ok: (res) => expect(Array.isArray(res.body.items)).toBe(true) },
  ),
  'GET /api/v1/forwards': route(
    150,
    withQuery(
      '/api/v1/forwards',
      supervisor,
      queryOf(
        pairs([
          ['state', fc.constantFrom(...forwardStates, 'overdue')],
          ['limit', fc.integer({ min: 1, max: 600 }).map(String)],
        ]),
      ),
    ),
    { known: ['state', 'limit'], ok: (res) => expect(Array.isArray(res.body.forwards)).toBe(true) },
  ),
  'GET /api/v1/items/:id/media/:n/view': route(
    100,
    (f) =>
      fc
        .record({
          id: idOf(f.freeItem),
          n: fc.oneof(
            fc.constantFrom('0', '0', '1', '10001', '-1', '00'),
            fc.string({ unit: 'binary', maxLength: 6 }).map(segment),
          ),
          query: queryOf(
            pairs([
              ['blur', fc.constantFrom('0', '3', '5', '6')],
              ['grey', fc.constantFrom('0', '1', '2')],
            ]),
          ),
        })
        .map(
          ({ id, n, query }): FuzzRequest => ({
            as: f.analyst,
            path: `/api/v1/items/${id}/media/${n}/view`,
            query,
            body: { kind: 'none' },
          }),
        ),
    { known: ['blur', 'grey'], ok: (res) => expect(res.headers['content-type']).toBe('image/jpeg') },
  ),

  // Reads with nothing to read but a path id: their ids and stray queries.
  'GET /api/v1/queue': route(20, plain('/api/v1/queue', analyst), {
    ok: (res) => expect(res.body.queues).toBeDefined(),
  }),
  'GET /api/v1/session': route(20, plain('/api/v1/session', analyst), {
    ok: (res) => expect(res.body.user.role).toBe('analyst'),
  }),
  'GET /api/v1/users': route(20, plain('/api/v1/users', admin), {
    ok: (res) => expect(Array.isArray(res.body.users)).toBe(true),
  }),
  'GET /api/v1/banks': route(20, plain('/api/v1/banks', supervisor), {
    ok: (res) => expect(Array.isArray(res.body.banks)).toBe(true),
  }),
  'GET /api/v1/settings': route(20, plain('/api/v1/settings', supervisor), {
    ok: (res) => expect(res.body.settings).toBeDefined(),
  }),
  'GET /api/v1/destinations': route(20, plain('/api/v1/destinations', supervisor), {
    ok: (res) => expect(Array.isArray(res.body.destinations)).toBe(true),
  }),
  'GET /api/v1/items/:id': route(
    100,
    withId(
      (id) => `/api/v1/items/${id}`,
      (f) => [f.freeItem, f.knownItem],
      just(analyst),
      none,
    ),
    { ok: (res, req) => expect(res.body.item.id).toBe(idInPath(req.path)) },
  ),
  'GET /api/v1/items/:id/cluster': route(
    100,
    withId(
      (id) => `/api/v1/items/${id}/cluster`,
      (f) => [...f.clusterItems],
      just(analyst),
      none,
    ),
    { ok: (res) => expect(res.body.cluster).toBeDefined() },
  ),
  'GET /api/v1/reports/:id/contact': route(
    100,
    withId(
      (id) => `/api/v1/reports/${id}/contact`,
      (f) => [f.contactReport],
      just(supervisor),
      none,
    ),
    { ok: (res) => expect(res.body).toBeDefined() },
  ),
};
