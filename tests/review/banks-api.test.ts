import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { addUser, asSession, sessionFor, type TestSession, type TestUser } from '../support/auth.ts';
import { countRows, rows } from '../support/db.ts';
import { rawConnect } from '../support/raw-http.ts';
import { syntheticImage } from '../support/synthetic-images.ts';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
let t: TestApp;
let adminUser: TestUser;
let admin: TestSession;

beforeEach(async () => {
  t = createTestApp({ env: { HOTLINE_BANK_UPLOAD_MAX_MB: '1' } });
  adminUser = await addUser(t, 'admin');
  admin = sessionFor(t, adminUser);
});

const upload = (bank: string, content: Buffer | string, filename: string, session = admin) =>
  request(t.app)
    .post(`/api/v1/banks/${bank}/imports`)
    .set(asSession(session))
    .set('Accept-Language', 'en')
    .attach('file', Buffer.from(content), filename);

describe('POST /api/v1/banks/:name/imports', () => {
  it('imports a CSV, whatever its name says, with line-numbered errors, and audits it', async () => {
    const csv = `signal_type,value,label,source\nmd5,${hex(16)},national,a\nmd5,nothex,national,b\nsha1,${hex(20)},not_illegal,c\n`;
    const res = await upload('partner', csv, 'list.json').expect(201);
    expect(res.body.import).toMatchObject({ bank: 'partner', format: 'csv', rows: 2, inserted: 2 });
    expect(res.body.import.errors).toEqual([{ line: 3, message: expect.any(String) }]);
    const banks = await request(t.app).get('/api/v1/banks').set(asSession(admin)).expect(200);
    expect(banks.body.banks).toMatchObject([{ name: 'partner', entries: 2, enabledEntries: 2 }]);
    const events = rows(t.database, "select object_id, details from audit_events where action = 'bank.import'");
    expect(events.map((e) => [e.object_id, JSON.parse(e.details)])).toEqual([
      ['partner', { format: 'csv', bankCreated: true, rows: 2, inserted: 2, relabelled: 0, errors: 1 }],
    ]);
  });

  it('writes its audit event in the transaction that enables the entries: no event, no entries', async () => {
    t.database.sqlite.exec(`CREATE TRIGGER refuse_import_audit BEFORE INSERT ON audit_events
      WHEN NEW.action = 'bank.import' BEGIN SELECT RAISE(ABORT, 'audit refused'); END`);
    await upload('partner', `signal_type,value,label,source\nmd5,${hex(16)},national,a\n`, 'a.csv').expect(500);
    expect(rows(t.database, 'select enabled from bank_entries where enabled = 1')).toEqual([]);
    t.database.sqlite.exec('DROP TRIGGER refuse_import_audit');
    const banks = await request(t.app).get('/api/v1/banks').set(asSession(admin)).expect(200);
    expect(banks.body.banks).toMatchObject([{ name: 'partner', enabledEntries: 0 }]);
  });

  it('tells VICS JSON from its content', async () => {
    const vics = JSON.stringify({ value: [{ MediaID: 1, Category: 1, MD5: hex(16).toUpperCase() }] });
    const res = await upload('vics-partner', vics, 'export.csv').expect(201);
    expect(res.body.import).toMatchObject({ format: 'vics', inserted: 1 });
  });

  it('refuses what is not text, a file over the limit, the own bank, a missing file; nothing is imported', async () => {
    const png = await syntheticImage(1);
    expect((await upload('partner', png, 'list.csv').expect(400)).body.fields).toEqual({
      file: 'The file is not a CSV or VICS (JSON) text file.',
    });
    const big = `signal_type,value,label,source\n${`md5,${hex(16)},national,a\n`.repeat(30_000)}`;
    await upload('partner', big, 'big.csv').expect(413);
    const own = `signal_type,value,label,source\nmd5,${hex(16)},national,a\n`;
    expect((await upload('hotline', own, 'own.csv').expect(409)).body.error).toBe('own_bank');
    await request(t.app).post('/api/v1/banks/partner/imports').set(asSession(admin)).send({}).expect(400);
    expect(countRows(t.database, 'bank_entries')).toBe(0);
  });

  it('is for admins only; supervisors may list', async () => {
    const supervisor = sessionFor(t, await addUser(t, 'supervisor'));
    await upload('partner', `signal_type,value,label,source\nmd5,${hex(16)},national,a\n`, 'a.csv', supervisor).expect(
      403,
    );
    await request(t.app).get('/api/v1/banks').set(asSession(supervisor)).expect(200);
    const analyst = sessionFor(t, await addUser(t, 'analyst'));
    await request(t.app).get('/api/v1/banks').set(asSession(analyst)).expect(403);
  });
});

describe('the size limit of bank imports', () => {
  /** A CSV of at least `bytes` bytes: partner lists run to many megabytes. */
  const csvOf = (bytes: number) => {
    const line = () => `md5,${hex(16)},national,a\n`;
    const lines = Math.ceil(bytes / line().length);
    return `signal_type,value,label,source\n${Array.from({ length: lines }, line).join('')}`;
  };

  it('is HOTLINE_BANK_UPLOAD_MAX_MB, not the 1 MB of other bodies: a 2 MB file at the default limit', async () => {
    t = createTestApp();
    admin = sessionFor(t, await addUser(t, 'admin'));
    expect(t.config.review.bankUploadMaxBytes).toBe(100 * 1024 * 1024);
    const csv = csvOf(2 * 1024 * 1024);
    const res = await upload('partner', csv, 'big.csv').expect(201);
    expect(res.body.import).toMatchObject({ errors: [], inserted: csv.trim().split('\n').length - 1 });
  });

  it('refuses a file over a smaller configured limit, and answers an announced one with 413 before reading it', async () => {
    t = createTestApp({ env: { HOTLINE_BANK_UPLOAD_MAX_MB: '1' } });
    admin = sessionFor(t, await addUser(t, 'admin'));
    await upload('partner', csvOf(2 * 1024 * 1024), 'big.csv').expect(413);
    await upload('partner', csvOf(512 * 1024), 'half.csv').expect(201);

    const server: Server = t.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const conn = await rawConnect((server.address() as AddressInfo).port);
      conn.socket.write(
        `POST /api/v1/banks/partner/imports HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: ${2 * 1024 * 1024}\r\n\r\n`,
      );
      expect(await conn.status).toBe(413);
      await conn.closed;
      expect(conn.received()).toContain('payload_too_large');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('PATCH /api/v1/banks/:name', () => {
  const csv = () => `signal_type,value,label,source\nmd5,${hex(16)},national,a\n`;
  const patch = (name: string, body: object, session = admin) =>
    request(t.app).patch(`/api/v1/banks/${name}`).set(asSession(session)).set('Accept-Language', 'en').send(body);

  it('disables a bank and enables it again, each change audited; the same state again records nothing', async () => {
    await upload('partner', csv(), 'a.csv').expect(201);
    const off = await patch('partner', { enabled: false }).expect(200);
    expect(off.body.bank).toMatchObject({ name: 'partner', enabled: false, entries: 1 });
    const listed = await request(t.app).get('/api/v1/banks').set(asSession(admin)).expect(200);
    expect(listed.body.banks).toMatchObject([{ name: 'partner', enabled: false }]);
    await patch('partner', { enabled: false }).expect(200);
    expect((await patch('partner', { enabled: true }).expect(200)).body.bank.enabled).toBe(true);
    const events = rows(
      t.database,
      "select action, actor, object_id from audit_events where action in ('bank.enable', 'bank.disable') order by seq",
    );
    expect(events).toEqual([
      { action: 'bank.disable', actor: `user:${adminUser.id}`, object_id: 'partner' },
      { action: 'bank.enable', actor: `user:${adminUser.id}`, object_id: 'partner' },
    ]);
  });

  it('refuses a bad body naming the field, an unknown bank, and anyone but an admin; nothing changes', async () => {
    await upload('partner', csv(), 'a.csv').expect(201);
    const bad = await patch('partner', { enabled: 'no', name: 'x' }).expect(400);
    expect(Object.keys(bad.body.fields).sort()).toEqual(['enabled', 'name']);
    expect((await patch('nobody', { enabled: false }).expect(404)).body.error).toBe('bank_not_found');
    expect((await patch('Not%20a%20name', { enabled: false }).expect(404)).body.error).toBe('bank_not_found');
    const supervisor = sessionFor(t, await addUser(t, 'supervisor'));
    await patch('partner', { enabled: false }, supervisor).expect(403);
    expect(rows(t.database, 'select enabled from banks')).toEqual([{ enabled: 1 }]);
    expect(rows(t.database, "select * from audit_events where action like 'bank.%able'")).toEqual([]);
  });
});
