import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { addUser, asSession, sessionFor, type TestSession } from '../support/auth.ts';
import { countRows, rows } from '../support/db.ts';
import { syntheticImage } from '../support/synthetic-images.ts';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
let t: TestApp;
let admin: TestSession;

beforeEach(async () => {
  t = createTestApp({ env: { HOTLINE_BANK_UPLOAD_MAX_MB: '1' } });
  admin = sessionFor(t, await addUser(t, 'admin'));
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
      ['partner', { format: 'csv', rows: 2, inserted: 2, relabelled: 0, errors: 1 }],
    ]);
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
