import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, get as httpGet } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import request from 'supertest';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app.ts';
import { csvCell } from '../../src/forwarding/export/export-files.ts';
import { verifyPackage } from '../../src/forwarding/export/verify-package.ts';
import { deriveIntakeKeys, submitReport } from '../../src/intake/submit-report.ts';
import { loadSigningKey, type SigningKey } from '../../src/key-files.ts';
import { createLogger } from '../../src/logger.ts';
import { medium, triageUrl } from '../review/fixtures.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { assessAndConfirm, illegalNational } from '../support/assessments.ts';
import { addUser, asSession, sessionFor, type TestSession } from '../support/auth.ts';
import { row } from '../support/db.ts';
import { fillPoliceForwards } from './bulk-forwards.ts';
import { readZipEntries } from './zip-entries.ts';

const schema = JSON.parse(
  readFileSync(new URL('../../data/schemas/export-report-v1.schema.json', import.meta.url), 'utf8'),
);
const validateReport = new Ajv({ allErrors: true }).compile(schema);

const dir = mkdtempSync(join(tmpdir(), 'hotline-export-api-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let t: TestApp;
let app: ReturnType<typeof createApp>;
let key: SigningKey;
let analyst: TestSession;
let supervisor: TestSession;
let receipt: string;

const contact = 'reporter@mail.example.test';
const description = 'found while searching for a game';

/** A reported (with contact and description), triaged, assessed and confirmed item; its medium hosted in `country`. */
async function forwardedItem(url: string, country: string, over: { legalStatus?: string; media?: boolean } = {}) {
  receipt = submitReport(
    { db: t.database.db, keys: deriveIntakeKeys(t.config.secretKey), now: t.clock.now, fetchAllow: [] },
    { urls: [url], category: 'csam', siteType: 'forum', mediaType: 'image', description, contact },
  ).receipt;
  const m = { ...medium(url), hosting: { kind: 'ip' as const, ip: '203.0.113.9', country, asn: 64501, org: 'CDN' } };
  const itemId = triageUrl(t, url, over.media === false ? [] : [m]);
  await assessAndConfirm(app, itemId, analyst, supervisor, {
    ...illegalNational,
    ...(over.legalStatus ? { legalStatus: over.legalStatus } : {}),
  });
  return itemId;
}

async function download(query: string, as = supervisor) {
  const res = await request(app)
    .get(`/api/v1/exports?${query}`)
    .set(asSession(as))
    .set('Accept-Language', 'en')
    .buffer(true)
    .parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c)).on('end', () => done(null, Buffer.concat(chunks)));
    });
  return res;
}

async function saved(body: Buffer, name: string) {
  const path = join(dir, name);
  writeFileSync(path, body);
  return { path, entries: await readZipEntries(path) };
}

beforeEach(async () => {
  t = createTestApp({ env: { HOTLINE_EXPORT_DESCRIPTIONS: 'on' } });
  key = loadSigningKey(':memory:');
  app = createApp({
    config: t.config,
    db: t.database.db,
    logger: createLogger('silent'),
    now: t.clock.now,
    signingKey: key,
  });
  analyst = sessionFor(t, await addUser(t, 'analyst'));
  supervisor = sessionFor(t, await addUser(t, 'supervisor'));
});

describe('GET /api/v1/exports', () => {
  it('downloads a signed police package: schema-valid report, csv, VICS hashes, descriptions, never a contact or receipt', async () => {
    const home = await forwardedItem('https://home.example.test/', 'BE');
    const abroad = await forwardedItem('https://abroad.example.test/', 'NL');
    const res = await download('to=police&since=2026-01-01');
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="?hotline-export-police-\d{4}-\d{2}-\d{2}\.zip"?$/,
    );
    const { path, entries } = await saved(res.body, 'police.zip');

    expect((await verifyPackage(path, key.publicKey)).ok).toBe(true);
    expect([...entries.keys()]).toEqual([
      'report.json',
      'items.csv',
      'hashes.vics.json',
      'manifest-sha256.txt',
      'manifest.sig',
    ]);
    const report = JSON.parse(entries.get('report.json')?.toString('utf8') ?? '');
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
    // The home item (page and medium in BE) went to the police; the abroad item's page (BE) did too.
    expect(report.items.map((i: { item: { id: number } }) => i.item.id)).toEqual([home, abroad]);
    expect(report.count).toBe(2);
    expect(report.items[0].descriptions).toEqual([description]);
    expect(report.items[0].media[0].md5).toBe(createHash('md5').update('https://home.example.test/').digest('hex'));
    const csv = entries.get('items.csv')?.toString('utf8') ?? '';
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(3);
    expect(csv.split('\r\n')[0]).toMatch(/,descriptions$/);
    const vics = JSON.parse(entries.get('hashes.vics.json')?.toString('utf8') ?? '');
    expect(vics.value).toHaveLength(2);

    const everything = Buffer.concat([...entries.values()]).toString('utf8');
    expect(everything).not.toContain(contact);
    expect(everything).not.toContain(receipt);

    const audit = row(t.database, "select * from audit_events where action = 'export.create'");
    expect(JSON.parse(audit.details)).toMatchObject({
      to: 'police',
      forwards: 2,
      descriptions: true,
      sha256: createHash('sha256').update(res.body).digest('hex'),
    });
  });

  it('gives INTERPOL only baseline items with media hashes, never descriptions, contact or receipt', async () => {
    await forwardedItem('https://national.example.test/', 'BE');
    const baseline = await forwardedItem('https://baseline.example.test/', 'BE', { legalStatus: 'baseline' });
    await forwardedItem('https://text.example.test/', 'BE', { legalStatus: 'baseline', media: false });
    const res = await download('to=interpol&since=2026-01-01');
    expect(res.status).toBe(200);
    const { path, entries } = await saved(res.body, 'interpol.zip');
    expect((await verifyPackage(path, key.publicKey)).ok).toBe(true);
    const report = JSON.parse(entries.get('report.json')?.toString('utf8') ?? '');
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
    expect(report).toMatchObject({ to: 'interpol', descriptionsIncluded: false, count: 1 });
    expect(report.items.map((i: { item: { id: number } }) => i.item.id)).toEqual([baseline]);
    expect(report.items[0].media[0].sha256).toBe(
      createHash('sha256').update('https://baseline.example.test/').digest('hex'),
    );
    expect(JSON.parse(entries.get('hashes.vics.json')?.toString('utf8') ?? '').value).toHaveLength(1);
    const everything = Buffer.concat([...entries.values()]).toString('utf8');
    for (const absent of ['national.example.test', 'text.example.test', description, contact, receipt]) {
      expect(everything).not.toContain(absent);
    }
    const audit = row(t.database, "select details from audit_events where action = 'export.create'");
    expect(JSON.parse(audit.details)).toMatchObject({ to: 'interpol', forwards: 1, descriptions: false });
  });

  it('audits a download cut off mid-stream as an incomplete export, with what went out', async () => {
    // Large enough that the package cannot fit in the connection's buffers before the client leaves.
    fillPoliceForwards(t.database.sqlite, 20_000, t.clock.now() - 60_000);
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpGet(
          {
            host: '127.0.0.1',
            port,
            path: '/api/v1/exports?to=police&since=2026-01-01',
            headers: asSession(supervisor),
          },
          (res) =>
            res.once('data', () => {
              resolve(res.statusCode ?? 0);
              req.destroy();
            }),
        );
        req.on('error', (error) => (error.message === 'socket hang up' ? undefined : reject(error)));
      });
      expect(status).toBe(200);
      const audited = () =>
        t.database.sqlite.prepare("select details from audit_events where action = 'export.create'").all() as {
          details: string;
        }[];
      await vi.waitFor(() => expect(audited()).toHaveLength(1), { timeout: 30_000, interval: 20 });
      const details = JSON.parse(audited()[0]?.details ?? '{}');
      expect(details).toMatchObject({
        to: 'police',
        complete: false,
        files: ['report.json', 'items.csv', 'hashes.vics.json'],
      });
      expect(details.bytesSent).toBeGreaterThan(0);
      expect(details.sha256OfSent).toMatch(/^[0-9a-f]{64}$/);
      expect(details).not.toHaveProperty('sha256');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('gives a partner hotline only its forwards, without descriptions', async () => {
    await forwardedItem('https://home.example.test/', 'BE');
    const abroad = await forwardedItem('https://abroad.example.test/', 'NL');
    const res = await download('to=partner:NL&since=2026-01-01');
    expect(res.status).toBe(200);
    const { path, entries } = await saved(res.body, 'nl.zip');
    expect((await verifyPackage(path, key.publicKey)).ok).toBe(true);
    const report = JSON.parse(entries.get('report.json')?.toString('utf8') ?? '');
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
    expect(report).toMatchObject({ to: 'partner:NL', descriptionsIncluded: false, count: 1 });
    expect(report.items[0]).not.toHaveProperty('descriptions');
    expect(report.items[0].item.id).toBe(abroad);
    expect(Buffer.concat([...entries.values()]).toString('utf8')).not.toContain(description);
    // Another key does not verify it.
    const other = generateKeyPairSync('ed25519').publicKey;
    expect((await verifyPackage(path, other)).ok).toBe(false);
  });

  it('leaves out what was forwarded before the date', async () => {
    await forwardedItem('https://old.example.test/', 'BE');
    t.clock.advance(2 * 86_400_000);
    supervisor = sessionFor(t, await addUser(t, 'supervisor'));
    analyst = sessionFor(t, await addUser(t, 'analyst'));
    const since = new Date(t.clock.now() - 86_400_000).toISOString().slice(0, 10);
    const res = await download(`to=police&since=${since}`);
    const { entries } = await saved(res.body, 'later.zip');
    expect(JSON.parse(entries.get('report.json')?.toString('utf8') ?? '').count).toBe(0);
  });

  it('puts in only the data files --format selects, still signed and verifiable; the audit names them', async () => {
    await forwardedItem('https://home.example.test/', 'BE');
    const vicsOnly = await saved((await download('to=police&since=2026-01-01&format=vics')).body, 'vics.zip');
    expect([...vicsOnly.entries.keys()]).toEqual(['hashes.vics.json', 'manifest-sha256.txt', 'manifest.sig']);
    expect(JSON.parse(vicsOnly.entries.get('hashes.vics.json')?.toString('utf8') ?? '').value).toHaveLength(1);
    expect(vicsOnly.entries.get('manifest-sha256.txt')?.toString('utf8')).toMatch(
      /^[0-9a-f]{64} {2}hashes\.vics\.json\n$/,
    );
    expect((await verifyPackage(vicsOnly.path, key.publicKey)).ok).toBe(true);

    // A list keeps the package's own order, whatever order it was asked in.
    const two = await saved((await download('to=police&since=2026-01-01&format=csv,json')).body, 'two.zip');
    expect([...two.entries.keys()]).toEqual(['report.json', 'items.csv', 'manifest-sha256.txt', 'manifest.sig']);
    expect((await verifyPackage(two.path, key.publicKey)).ok).toBe(true);

    const audits = t.database.sqlite
      .prepare("select details from audit_events where action = 'export.create' order by seq")
      .all() as { details: string }[];
    expect(audits.map((a) => JSON.parse(a.details).files)).toEqual([
      ['hashes.vics.json'],
      ['report.json', 'items.csv'],
    ]);
  });

  it('refuses an unknown or repeated format naming the field, recording nothing', async () => {
    for (const format of ['xml', 'json,json', '', 'json,']) {
      const res = await download(`to=police&since=2026-01-01&format=${format}`);
      expect(res.status, format).toBe(400);
      expect(JSON.parse(res.body.toString('utf8')).fields, format).toEqual({ format: expect.stringContaining('vics') });
    }
    expect(row(t.database, "select count(*) as n from audit_events where action = 'export.create'").n).toBe(0);
  });

  it('refuses a bad receiver or date naming the field, records nothing; analysts may not export', async () => {
    const unknown = await download('to=partner:XX&since=2026-01-01');
    expect(unknown.status).toBe(400);
    expect(JSON.parse(unknown.body.toString('utf8')).fields).toEqual({ to: expect.stringContaining('partner') });
    const badDate = await download('to=police&since=yesterday');
    expect(badDate.status).toBe(400);
    expect(Object.keys(JSON.parse(badDate.body.toString('utf8')).fields)).toEqual(['since']);
    expect((await download('to=police&since=2099-01-01')).status).toBe(400);
    expect((await download('to=police&since=2026-01-01', analyst)).status).toBe(403);
    expect(row(t.database, "select count(*) as n from audit_events where action = 'export.create'").n).toBe(0);
  });
});

describe('export files', () => {
  it('quote CSV cells and defuse the ones a spreadsheet would run as formulas', () => {
    expect(csvCell('https://a.example.test/x,y')).toBe('"https://a.example.test/x,y"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('-1+2')).toBe("'-1+2");
    expect(csvCell(-1)).toBe('-1');
    expect(csvCell(null)).toBe('');
  });

  it('leave descriptions out of police packages unless configured', async () => {
    t = createTestApp();
    app = createApp({
      config: t.config,
      db: t.database.db,
      logger: createLogger('silent'),
      now: t.clock.now,
      signingKey: key,
    });
    analyst = sessionFor(t, await addUser(t, 'analyst'));
    supervisor = sessionFor(t, await addUser(t, 'supervisor'));
    await forwardedItem('https://home.example.test/', 'BE');
    const { entries } = await saved((await download('to=police&since=2026-01-01')).body, 'plain.zip');
    const report = JSON.parse(entries.get('report.json')?.toString('utf8') ?? '');
    expect(report).toMatchObject({ descriptionsIncluded: false, count: 1 });
    expect(Buffer.concat([...entries.values()]).toString('utf8')).not.toContain(description);
  });
});
