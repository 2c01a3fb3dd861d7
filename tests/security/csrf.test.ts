import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiPolicy, isStateChanging, type PolicyEntry } from '../../src/auth/policy.ts';
import { medium, reportAndTriage } from '../review/fixtures.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { addUser, sessionFor, type TestSession, type TestUser } from '../support/auth.ts';
import { countRows } from '../support/db.ts';

const guardedChanges = apiPolicy.filter(
  (e): e is PolicyEntry & { allow: readonly string[] } => e.allow !== 'public' && isStateChanging(e.method),
);

type HeaderCase = (own: TestSession, other: TestSession) => Record<string, string>;

const refused: Record<string, HeaderCase> = {
  'no token': (own) => ({ Cookie: own.cookie, 'Sec-Fetch-Site': 'same-origin' }),
  'an empty token': (own) => ({ Cookie: own.cookie, 'X-CSRF-Token': '', 'Sec-Fetch-Site': 'same-origin' }),
  'a wrong token': (own) => ({
    Cookie: own.cookie,
    'X-CSRF-Token': `${own.csrfToken.slice(0, -2)}xx`,
    'Sec-Fetch-Site': 'same-origin',
  }),
  "another session's token": (own, other) => ({
    Cookie: own.cookie,
    'X-CSRF-Token': other.csrfToken,
    'Sec-Fetch-Site': 'same-origin',
  }),
  'the token but Sec-Fetch-Site cross-site': (own) => ({
    Cookie: own.cookie,
    'X-CSRF-Token': own.csrfToken,
    'Sec-Fetch-Site': 'cross-site',
  }),
  'the token but Sec-Fetch-Site same-site': (own) => ({
    Cookie: own.cookie,
    'X-CSRF-Token': own.csrfToken,
    'Sec-Fetch-Site': 'same-site',
  }),
  'the token but a foreign Origin': (own) => ({
    Cookie: own.cookie,
    'X-CSRF-Token': own.csrfToken,
    Host: 'hotline.test',
    Origin: 'https://evil.example',
  }),
  'the token but Origin null': (own) => ({
    Cookie: own.cookie,
    'X-CSRF-Token': own.csrfToken,
    Host: 'hotline.test',
    Origin: 'null',
  }),
  'the token but an Origin of another scheme': (own) => ({
    Cookie: own.cookie,
    'X-CSRF-Token': own.csrfToken,
    Host: 'hotline.test',
    Origin: 'https://hotline.test',
  }),
  'the token but an Origin on another port': (own) => ({
    Cookie: own.cookie,
    'X-CSRF-Token': own.csrfToken,
    Host: 'hotline.test',
    Origin: 'http://hotline.test:8080',
  }),
  'the token and an untrusted X-Forwarded-Proto matching a foreign scheme': (own) => ({
    Cookie: own.cookie,
    'X-CSRF-Token': own.csrfToken,
    Host: 'hotline.test',
    'X-Forwarded-Proto': 'https',
    Origin: 'https://hotline.test',
  }),
  'the token but no Origin nor Sec-Fetch-Site': (own) => ({ Cookie: own.cookie, 'X-CSRF-Token': own.csrfToken }),
  'the token, our Origin, but Sec-Fetch-Site cross-site': (own) => ({
    Cookie: own.cookie,
    'X-CSRF-Token': own.csrfToken,
    Host: 'hotline.test',
    Origin: 'http://hotline.test',
    'Sec-Fetch-Site': 'cross-site',
  }),
};

const accepted: Record<string, HeaderCase> = {
  'the token and Sec-Fetch-Site same-origin': (own) => ({
    Cookie: own.cookie,
    'X-CSRF-Token': own.csrfToken,
    'Sec-Fetch-Site': 'same-origin',
  }),
  // The test server speaks plain http, so that is our scheme here (the default port spelt out or not).
  'the token and our Origin': (own) => ({
    Cookie: own.cookie,
    'X-CSRF-Token': own.csrfToken,
    Host: 'hotline.test',
    Origin: 'http://hotline.test',
  }),
  'the token and our Origin, the Host naming the default port': (own) => ({
    Cookie: own.cookie,
    'X-CSRF-Token': own.csrfToken,
    Host: 'hotline.test:80',
    Origin: 'http://HOTLINE.test',
  }),
};

let usernames = 0;
let roleChanges = 0;
let counter = 0;
let languageChanges = 0;
let bankSwitches = 0;
/** What the success cases below need from the test's app: set in beforeAll. */
const world = {} as { t: TestApp; adminId: number; authorId: number; password: string; entryId: number };
const sql = (query: string, ...params: unknown[]) => world.t.database.sqlite.prepare(query).run(...params);

interface Success {
  body: object;
  status: number;
  /** A file to send as multipart instead of a JSON body. */
  file?: { field: string; content: string; name: string };
}

/**
 * Makes assessment 2 a pending assessment of item 3 by another user. The routes' `:id` is the
 * target user's id; the items and assessments made in beforeAll give the same ids to items.
 */
function pendingAssessment(): void {
  sql("update items set review_queue = 'to_confirm' where id = 3");
  sql(
    `insert or replace into assessments (id, item_id, author_id, source, outcome, status, created_at)
     values (2, 3, ?, 'analyst', 'not_illegal', 'pending', 0)`,
    world.authorId,
  );
}

/** A request each state-changing route really carries out (a change, so audited), and the status it answers. */
const successes: Record<string, () => Success> = {
  'DELETE /api/v1/session': () => ({ body: {}, status: 204 }),
  // Every call changes the admin's language (choosing the kept one again records nothing).
  'PATCH /api/v1/session': () => ({ body: { language: ++languageChanges % 2 ? 'fr' : 'nl' }, status: 200 }),
  'POST /api/v1/users': () => ({
    body: { username: `csrf.ok${++usernames}`, role: 'analyst', password: 'a long and unusual passphrase' },
    status: 201,
  }),
  // The target starts as an analyst; every call changes its role.
  'PATCH /api/v1/users/:id': () => ({ body: { role: ++roleChanges % 2 ? 'supervisor' : 'analyst' }, status: 200 }),
  'POST /api/v1/users/:id/reset': () => ({ body: { password: `a reset passphrase number ${++counter}` }, status: 200 }),
  'POST /api/v1/users/:id/unlock': () => {
    sql('update users set failed_logins = 5, locked_until = ? where id = ?', 9e15, world.authorId);
    return { body: {}, status: 200 };
  },
  'POST /api/v1/session/password': () => {
    const current = world.password;
    world.password = `csrf passphrase number ${++counter} ok`;
    return { body: { current, new: world.password }, status: 204 };
  },
  'POST /api/v1/queue/next': () => {
    sql('delete from item_reviews');
    return { body: {}, status: 200 };
  },
  'POST /api/v1/queue/known/confirm': () => {
    sql("update items set state = 'known', review_queue = null where id = 4");
    sql(
      "insert or replace into item_suggestions (item_id, label, bank_entry_id, created_at) values (4, 'national/real_abuse', ?, 0)",
      world.entryId,
    );
    return { body: { itemIds: [4] }, status: 200 };
  },
  'POST /api/v1/items/:id/release': () => {
    sql(
      'insert or replace into item_reviews (item_id, claimed_by, claimed_until) values (2, ?, ?)',
      world.adminId,
      9e15,
    );
    return { body: {}, status: 204 };
  },
  'POST /api/v1/items/:id/skip': () => {
    sql('delete from item_reviews');
    return { body: { reason: 'testing CSRF' }, status: 204 };
  },
  // The admin's open view, named like the `:viewId` of the path.
  'POST /api/v1/views/:viewId/heartbeat': () => {
    sql(
      'insert or replace into safe_views (id, user_id, item_id, medium, opened_at, last_charged_at, charged_ms) values (?, ?, 1, 0, 0, 0, 0)',
      String(world.authorId),
      world.adminId,
    );
    return { body: {}, status: 200 };
  },
  'POST /api/v1/items/:id/assessments': () => {
    sql('update items set review_queue = null where id = 2');
    return { body: { legalStatus: 'not_illegal' }, status: 201 };
  },
  'POST /api/v1/clusters/assessments': () => {
    sql('update items set review_queue = null where id = 1');
    sql('delete from assessments where item_id = 1');
    sql('delete from item_reviews where item_id = 1');
    return { body: { itemIds: [1], assessment: { legalStatus: 'not_illegal' } }, status: 201 };
  },
  'POST /api/v1/assessments/:id/confirm': () => {
    pendingAssessment();
    return { body: {}, status: 200 };
  },
  'POST /api/v1/assessments/:id/dispute': () => {
    pendingAssessment();
    return { body: { comment: 'not so sure' }, status: 200 };
  },
  'PATCH /api/v1/settings': () => ({ body: { exposureLimitMinutes: 100 + ++counter }, status: 200 }),
  // A new network each call (one provider row per network).
  'POST /api/v1/destinations': () => ({
    body: {
      kind: 'hosting_provider',
      asn: 64_600 + ++counter,
      name: 'CSRF host',
      contact: 'abuse@csrf.example.test',
      source: 'test',
    },
    status: 201,
  }),
  'PATCH /api/v1/destinations/:id': () => ({
    body: { contact: `https://drop.example.test/${++counter}` },
    status: 200,
  }),
  'PATCH /api/v1/forwards/:id': () => {
    pendingAssessment();
    sql(
      `insert or replace into forwards (id, item_id, assessment_id, destination_id, state, reasons, created_at, updated_at)
       values (2, 3, 2, 1, 'pending', '[]', 0, 0)`,
    );
    return { body: { state: 'sent' }, status: 200 };
  },
  // A bank named like the `:id` of every route here; every call switches it.
  'PATCH /api/v1/banks/:name': () => {
    sql("insert or ignore into banks (name, source, created_at) values (?, 'partner', 0)", String(world.authorId));
    return { body: { enabled: ++bankSwitches % 2 === 0 }, status: 200 };
  },
  'POST /api/v1/banks/:name/imports': () => {
    const md5 = (++counter).toString(16).padStart(32, '0');
    const content = `signal_type,value,label,source\nmd5,${md5},national,csrf\n`;
    return { body: {}, status: 201, file: { field: 'file', content, name: 'list.csv' } };
  },
};
const successFor = (entry: PolicyEntry) => {
  const success = successes[`${entry.method} ${entry.path}`];
  if (!success) throw new Error(`add ${entry.method} ${entry.path} to \`successes\` in tests/security/csrf.test.ts`);
  return success();
};

describe('CSRF protection on every state-changing route', () => {
  let t: TestApp;
  let admin: TestUser;
  let target: TestUser;

  beforeAll(async () => {
    t = createTestApp();
    admin = await addUser(t, 'admin');
    target = await addUser(t, 'analyst');
    // Items 1 to 4 (item 2 shares the target user's id, the `:id` of every route here).
    for (const n of [1, 2, 3, 4]) reportAndTriage(t, `https://csrf${n}.example.test/`, [medium(`csrf ${n}`)]);
    const entry = t.database.sqlite
      .prepare("insert into banks (name, source, created_at) values ('hotline', 'own', 0)")
      .run().lastInsertRowid;
    const entryId = t.database.sqlite
      .prepare(
        "insert into bank_entries (bank_id, signal_type, value, label, taxonomy_version, added_at) values (?, 'md5', ?, 'national/real_abuse', 1, 0)",
      )
      .run(entry, 'f'.repeat(32)).lastInsertRowid;
    Object.assign(world, { t, adminId: admin.id, authorId: target.id, password: admin.password, entryId });
  });

  it('covers at least the account and session routes', () => {
    expect(guardedChanges.map((e) => `${e.method} ${e.path}`)).toEqual(
      expect.arrayContaining(['DELETE /api/v1/session', 'POST /api/v1/users', 'PATCH /api/v1/users/:id']),
    );
  });

  const send = (entry: PolicyEntry, headers: Record<string, string>, body: object = {}, file?: Success['file']) => {
    const call = request(t.app)
      [entry.method.toLowerCase() as 'post'](entry.path.replace(/:\w+/g, String(target.id)))
      .set(headers);
    return file ? call.attach(file.field, Buffer.from(file.content), file.name) : call.send(body);
  };

  for (const entry of guardedChanges) {
    for (const [name, headersFor] of Object.entries(refused)) {
      it(`${entry.method} ${entry.path} with ${name}: 403, nothing changed`, async () => {
        const own = sessionFor(t, admin);
        const other = sessionFor(t, admin);
        const events = countRows(t.database, 'audit_events');
        const sessions = countRows(t.database, 'sessions');
        const res = await send(entry, headersFor(own, other));
        expect(res.status).toBe(403);
        expect(res.body.error).toBe('csrf');
        expect(countRows(t.database, 'audit_events')).toBe(events);
        expect(countRows(t.database, 'sessions')).toBe(sessions);
      });
    }
    for (const [name, headersFor] of Object.entries(accepted)) {
      it(`${entry.method} ${entry.path} with ${name}: carried out`, async () => {
        const own = sessionFor(t, admin);
        const { body, status, file } = successFor(entry);
        const events = countRows(t.database, 'audit_events');
        const res = await send(entry, headersFor(own, own), body, file);
        expect(res.status).toBe(status);
        expect(countRows(t.database, 'audit_events')).toBeGreaterThan(events);
      });
    }
  }

  it('has a real success case for every state-changing route', () => {
    const missing = guardedChanges.map((e) => `${e.method} ${e.path}`).filter((k) => !successes[k]);
    expect(missing).toEqual([]);
  });

  it('a refused account creation creates nothing, the same request with the token does', async () => {
    const own = sessionFor(t, admin);
    const body = { username: 'csrf.victim', role: 'admin', password: 'a long and unusual passphrase' };
    const users = countRows(t.database, 'users');
    await request(t.app)
      .post('/api/v1/users')
      .set({ Cookie: own.cookie, 'X-CSRF-Token': own.csrfToken, 'Sec-Fetch-Site': 'cross-site' })
      .send(body)
      .expect(403);
    expect(countRows(t.database, 'users')).toBe(users);
    await request(t.app)
      .post('/api/v1/users')
      .set({ Cookie: own.cookie, 'X-CSRF-Token': own.csrfToken, 'Sec-Fetch-Site': 'same-origin' })
      .send(body)
      .expect(201);
    expect(countRows(t.database, 'users')).toBe(users + 1);
  });

  it('reads need no token', async () => {
    const own = sessionFor(t, admin);
    await request(t.app).get('/api/v1/users').set('Cookie', own.cookie).expect(200);
  });
});

describe('CSRF behind a TLS-terminating proxy (HOTLINE_TRUST_PROXY=1)', () => {
  let t: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    t = createTestApp({ env: { HOTLINE_TRUST_PROXY: '1' } });
    admin = await addUser(t, 'admin');
  });

  const patchOwnAccount = (headers: Record<string, string>) => {
    const own = sessionFor(t, admin);
    return request(t.app)
      .patch(`/api/v1/users/${admin.id}`)
      .set({ Cookie: own.cookie, 'X-CSRF-Token': own.csrfToken, Host: 'hotline.test', ...headers })
      .send({ disabled: false });
  };

  it('takes an https Origin when the proxy says the client used https', async () => {
    await patchOwnAccount({ 'X-Forwarded-Proto': 'https', Origin: 'https://hotline.test' }).expect(200);
  });

  it('refuses an http Origin when the client used https: another scheme is another origin', async () => {
    const res = await patchOwnAccount({ 'X-Forwarded-Proto': 'https', Origin: 'http://hotline.test' }).expect(403);
    expect(res.body.error).toBe('csrf');
  });
});
