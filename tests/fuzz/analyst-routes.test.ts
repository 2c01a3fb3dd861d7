import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiPolicy } from '../../src/auth/policy.ts';
import { OWN_BANK_NAME } from '../../src/banks/own-bank.ts';
import type { Lang } from '../../src/http/i18n.ts';
import { Matcher } from '../../src/matching/matcher.ts';
import { medium, reportAndTriage, reportUrl } from '../review/fixtures.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { illegalBaseline } from '../support/assessments.ts';
import { addUser, asSession, sessionFor } from '../support/auth.ts';
import { row } from '../support/db.ts';
import { databaseDigest } from '../support/db-digest.ts';
import { type LoopbackServer, startLoopbackServer } from '../support/loopback-server.ts';
import { syntheticImage } from '../support/synthetic-images.ts';
import { analystRoutes, emptyBodyRoutes, type Fixtures, type FuzzRequest } from './analyst-routes.ts';
import {
  acceptLanguage,
  type acceptLanguages,
  expectedLang,
  expectLocalisedRefusal,
  fuzzTimeout,
  runsOf,
} from './fuzz-kit.ts';

/**
 * Every analyst route of the policy table, as its callers send it and as nobody should: never a
 * 5xx, a refusal in the caller's language naming the field, the database unchanged by it (a digest
 * of every row before and after), and a 2xx that is well-formed for what was sent.
 *
 * Each case runs inside a transaction the test rolls back afterwards (the app's own transactions
 * become savepoints in it), so every case meets the same fixtures: a pending assessment stays
 * pending for the next case, and an accepted request is as useful a case as a refused one.
 */

const routeKeys = apiPolicy.filter((e) => e.allow !== 'public').map((e) => `${e.method} ${e.path}`);

let t: TestApp;
let server: Server;
let site: LoopbackServer;
let f: Fixtures;

const illegal = { ...illegalBaseline, depiction: 'sexual_act' };

beforeAll(async () => {
  const picture = await syntheticImage(3, { width: 64, height: 48 });
  site = await startLoopbackServer((req, res) => {
    if (req.url === '/picture.png') return void res.writeHead(200, { 'Content-Type': 'image/png' }).end(picture);
    res.writeHead(404).end();
  });
  t = createTestApp({ env: { HOTLINE_LOG_LEVEL: 'error', HOTLINE_FETCH_ALLOW: site.pair } });
  server = createServer(t.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const api = () => request(server);

  // Every medium is on the loopback site: a safe view fetches only from there.
  const onSite = (seed: string) => ({ ...medium(seed), url: `${site.origin}/gone/${seed}.png` });
  const item = (name: string, seed = name) => reportAndTriage(t, `https://${name}.example.test/`, [onSite(seed)]);

  const analystUser = await addUser(t, 'analyst');
  const analyst = sessionFor(t, analystUser);
  const otherAnalyst = sessionFor(t, await addUser(t, 'analyst'));
  const supervisor = sessionFor(t, await addUser(t, 'supervisor'));
  const adminUser = await addUser(t, 'admin');
  const admin = sessionFor(t, adminUser);
  const target = await addUser(t, 'analyst');

  // The only item in the queue when the analyst asks for the next one: theirs, claimed.
  const claimedItem = item('claimed');
  const next = await api().post('/api/v1/queue/next').set(asSession(analyst)).send({}).expect(200);
  expect(next.body.item.id).toBe(claimedItem);

  const viewable = { ...medium('picture'), url: `${site.origin}/picture.png` };
  viewable.signals = { ...viewable.signals, sha256: createHash('sha256').update(picture).digest('hex') };
  const freeItem = reportAndTriage(t, 'https://free.example.test/', [viewable]);

  const assess = async (itemId: number) =>
    (await api().post(`/api/v1/items/${itemId}/assessments`).set(asSession(analyst)).send(illegal).expect(201)).body
      .assessment.id as number;
  const pendingItem = item('pending');
  const pendingAssessment = await assess(pendingItem);
  const decidedItem = item('decided', 'known picture');
  const decidedAssessment = await assess(decidedItem);
  await api().post(`/api/v1/assessments/${decidedAssessment}/confirm`).set(asSession(supervisor)).send({}).expect(200);

  // A later copy of the confirmed picture, matched against the banks as triage does.
  const copy = onSite('known picture');
  copy.matches = new Matcher(t.database.db, t.config.matching).match({ ...copy.signals, pdqVariants: null });
  const knownItem = reportAndTriage(t, 'https://known-copy.example.test/', [copy]);
  const clusterItems = [item('cluster-one', 'cluster'), item('cluster-two', 'cluster')];

  reportUrl(t, 'https://contact.example.test/', { contact: 'reporter@mail.example.test' });
  const contactReport = row(t.database, 'select max(id) as id from reports').id as number;
  // The least blur counts towards the budget: the view gets an id for its heartbeats.
  const view = await api().get(`/api/v1/items/${freeItem}/media/0/view?blur=0`).set(asSession(analyst)).expect(200);
  const openView = String(view.headers['x-view-id']);

  const providerAsn = 64501;
  const provider = await api()
    .post('/api/v1/destinations')
    .set(asSession(admin))
    .send({
      kind: 'hosting_provider',
      asn: providerAsn,
      name: 'CDN',
      contact: 'abuse@cdn.example.test',
      source: 'test',
    })
    .expect(201);
  const partnerBank = 'partner-list';
  await api()
    .post(`/api/v1/banks/${partnerBank}/imports`)
    .set(asSession(admin))
    .attach('file', Buffer.from(`signal_type,value,label,source\nsha256,${'ab'.repeat(32)},baseline,p\n`), 'list.csv')
    .expect(201);

  f = {
    analyst,
    otherAnalyst,
    supervisor,
    admin,
    analystPassword: analystUser.password,
    targetUserId: target.id,
    adminUserId: adminUser.id,
    freeItem,
    pendingItem,
    decidedItem,
    clusterItems,
    knownItem,
    claimedItem,
    pendingAssessment,
    decidedAssessment,
    forward: row(t.database, 'select min(id) as id from forwards').id as number,
    providerDestination: provider.body.destination.id,
    providerAsn,
    partnerDestination: row(t.database, "select id from destinations where key = 'partner:NL'").id as number,
    contactReport,
    openView,
    partnerBank,
    ownBank: OWN_BANK_NAME,
  };
  expect(f.forward).toBeGreaterThan(0);
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await site.close();
});

/** Every byte of each key and value percent-encoded: any string survives the trip, in the order given. */
const encodeAll = (text: string) => [...Buffer.from(text)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
const queryString = (query: FuzzRequest['query']) =>
  query && query.length > 0 ? `?${query.map(([k, v]) => `${encodeAll(k)}=${encodeAll(v)}`).join('&')}` : '';

function send(method: string, req: FuzzRequest, language: string | undefined): Promise<request.Response> {
  const verb = method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete';
  let call = request(server)
    [verb](`${req.path}${queryString(req.query)}`)
    .set(asSession(req.as));
  if (language !== undefined) call = call.set('Accept-Language', language);
  const body = req.body;
  if (body.kind === 'json')
    return call.set('Content-Type', 'application/json').send(JSON.stringify(body.value) ?? 'null');
  if (body.kind === 'raw') return call.set('Content-Type', body.type).send(body.text);
  if (body.kind === 'file') return call.attach(body.field, body.bytes, body.name);
  return call;
}

/** The language a refusal must be in: a single `?lang=` (repeated, it is a list), the JSON body's `lang`, the header's. */
function answerLang(req: FuzzRequest, fromHeader: Lang): Lang {
  const langs = req.query?.filter(([k]) => k === 'lang') ?? [];
  const query = langs.length === 1 ? Object.fromEntries(langs) : undefined;
  return expectedLang(fromHeader, query, req.body.kind === 'json' ? req.body.value : undefined);
}

/** Cases run per route and how many of them were accepted (2xx), filled as the properties run. */
const ran = new Map<string, { cases: number; accepted: number; statuses: Set<number> }>();

describe('fuzzing every analyst route', { timeout: fuzzTimeout }, () => {
  it('has an arbitrary for every analyst route of the policy table, and none for a route it lacks', () => {
    expect(routeKeys.filter((key) => !(key in analystRoutes))).toEqual([]);
    expect(Object.keys(analystRoutes).filter((key) => !routeKeys.includes(key))).toEqual([]);
    for (const key of emptyBodyRoutes) expect(routeKeys).toContain(key);
  });

  for (const key of routeKeys.filter((k) => k in analystRoutes)) {
    const spec = analystRoutes[key];
    if (!spec) continue;
    const [method = 'GET'] = key.split(' ');
    it(key, async () => {
      const sqlite = t.database.sqlite;
      const tally = { cases: 0, accepted: 0, statuses: new Set<number>() };
      const examples = (spec.examples?.(f) ?? []).map((req): [FuzzRequest, (typeof acceptLanguages)[number]] => [
        req,
        [undefined, 'fr'],
      ]);
      await fc.assert(
        fc.asyncProperty(spec.request(f), acceptLanguage, async (req, [header, fromHeader]) => {
          tally.cases += 1;
          sqlite.exec('BEGIN');
          try {
            const before = databaseDigest(t.database);
            const res = await send(method, req, header);
            expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
            tally.statuses.add(res.status);
            if (res.status >= 400) {
              const body = req.body.kind === 'json' ? req.body.value : undefined;
              expectLocalisedRefusal(res, answerLang(req, fromHeader), {
                body: req.query ? Object.fromEntries(req.query) : body,
                known: spec.known,
                discriminator: spec.discriminator,
              });
              expect(databaseDigest(t.database)).toBe(before);
            } else {
              tally.accepted += 1;
              spec.ok?.(res, req, f);
            }
          } finally {
            sqlite.exec('ROLLBACK');
          }
        }),
        { numRuns: runsOf(spec.cases), examples },
      );
      expect(tally.cases).toBe(runsOf(spec.cases));
      ran.set(key, tally);
    });
  }

  it('ran every case', () => {
    const total = [...ran.values()].reduce((sum, r) => sum + r.cases, 0);
    const lines = [...ran].map(([k, r]) => `  ${r.cases}\t${r.accepted}\t${[...r.statuses].sort().join(',')}\t${k}`);
    console.log(`analyst routes: ${total} cases (cases, accepted, statuses, route)\n${lines.join('\n')}`);
    expect(total).toBe(Object.values(analystRoutes).reduce((a, s) => a + runsOf(s.cases), 0));
  });
});
