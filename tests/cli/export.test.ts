import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { openDatabase } from '../../src/db/client.ts';
import { runMigrations } from '../../src/db/migrate.ts';
import { deriveIntakeKeys, submitReport } from '../../src/intake/submit-report.ts';
import { loadSigningKey } from '../../src/key-files.ts';
import { readZipEntries } from '../forwarding/zip-entries.ts';
import { medium, triageUrl } from '../review/fixtures.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { assessAndConfirm, illegalFields } from '../support/assessments.ts';
import { addUser, sessionFor } from '../support/auth.ts';
import { rows } from '../support/db.ts';

const schemaOf = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../data/schemas/${name}`, import.meta.url), 'utf8'));
const validateReport = new Ajv({ allErrors: true }).compile(schemaOf('export-report-v1.schema.json'));
const validateVics = new Ajv({ allErrors: true }).compile(schemaOf('vics-2.0-media-set.schema.json'));

async function writeZip(path: string, entries: Map<string, Buffer>) {
  const zip = new yazl.ZipFile();
  for (const [name, bytes] of entries) zip.addBuffer(bytes, name);
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(path));
}

// Through the real dispatcher, on a database file.
let dir: string;
let dbPath: string;

function hotlineExport(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'export', ...args], {
    env: { ...process.env, HOTLINE_DB: dbPath, HOTLINE_SECRET_KEY: '22'.repeat(32), ...env },
    encoding: 'utf8',
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hotline-export-cli-'));
  dbPath = join(dir, 'hotline.db');
  const handle = openDatabase(dbPath);
  runMigrations(handle.db);
  handle.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hotline export', () => {
  it('prints the public key of the signing key beside the database', () => {
    const { code, out } = hotlineExport(['pubkey']);
    expect(code).toBe(0);
    expect(out).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(out).toBe(loadSigningKey(dbPath).publicPem);
  });

  it('writes a package that verifies with our key and not with another; never overwrites a file', () => {
    const file = join(dir, 'police.zip');
    const written = hotlineExport(['--to', 'police', '--since', '2026-01-01', '--out', file]);
    expect(written.code).toBe(0);
    const line = JSON.parse(written.out);
    expect(line).toMatchObject({ file, forwards: 0 });
    expect(line.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(existsSync(`${file}.partial`)).toBe(false);

    const verified = hotlineExport(['verify', file]);
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.out).ok).toBe(true);

    const otherPem = join(dir, 'other.pem');
    writeFileSync(otherPem, generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }));
    const refused = hotlineExport(['verify', file, '--pubkey', otherPem]);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.out).ok).toBe(false);

    const again = hotlineExport(['--to', 'police', '--since', '2026-01-01', '--out', file]);
    expect(again.code).toBe(1);
    expect(again.err).toContain('exists');
  });

  it('writes only the data files --format names, and the package still verifies', async () => {
    const file = join(dir, 'csv.zip');
    const written = hotlineExport(['--to', 'police', '--since', '2026-01-01', '--format', 'csv', '--out', file]);
    expect(written.code).toBe(0);
    expect([...(await readZipEntries(file)).keys()]).toEqual(['items.csv', 'manifest-sha256.txt', 'manifest.sig']);
    expect(JSON.parse(hotlineExport(['verify', file]).out).ok).toBe(true);

    const refused = hotlineExport([
      '--to',
      'police',
      '--since',
      '2026-01-01',
      '--format',
      'pdf',
      '--out',
      join(dir, 'x.zip'),
    ]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/format: /);
    expect(existsSync(join(dir, 'x.zip'))).toBe(false);
  });

  it('explains --format in its help', () => {
    const help = hotlineExport(['--help']);
    expect(`${help.out}${help.err}`).toMatch(/--format json\|csv\|vics/);
  });

  it('refuses a bad receiver or date, writing nothing', () => {
    const file = join(dir, 'bad.zip');
    const bad = hotlineExport(['--to', 'partner:XX', '--since', 'soon', '--out', file]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/since/);
    const unknownPartner = hotlineExport(['--to', 'partner:XX', '--since', '2026-01-01', '--out', file]);
    expect(unknownPartner.code).toBe(1);
    expect(unknownPartner.err).toMatch(/to: /);
    expect(existsSync(file) || existsSync(`${file}.partial`)).toBe(false);
  });
});

describe('hotline export of real forwards, end to end', () => {
  const contact = 'reporter@mail.example.test';
  const description = 'seen in a forum thread about a game';
  let seeded: string;
  let stored: { contact_ciphertext: string; receipt_hash: string }[];
  let receipts: string[];
  const ids: Record<string, number> = {};

  /** Reported (contact and description), triaged, assessed and confirmed through the real confirmation path. */
  async function forwardedItem(t: TestApp, url: string, legalStatus: string, country: string) {
    const keys = deriveIntakeKeys(t.config.secretKey);
    receipts.push(
      submitReport(
        { db: t.database.db, keys, now: t.clock.now, fetchAllow: [] },
        { urls: [url], category: 'csam', siteType: 'forum', mediaType: 'image', description, contact },
      ).receipt,
    );
    const hosting = { kind: 'ip' as const, ip: '203.0.113.9', country, asn: 64501, org: 'CDN' };
    const itemId = triageUrl(t, url, [{ ...medium(url), hosting }]);
    const analyst = sessionFor(t, await addUser(t, 'analyst'));
    const supervisor = sessionFor(t, await addUser(t, 'supervisor'));
    await assessAndConfirm(t.app, itemId, analyst, supervisor, { ...illegalFields, legalStatus });
    return itemId;
  }

  beforeAll(async () => {
    seeded = join(dir, 'seeded.db');
    receipts = [];
    const t = createTestApp({ env: { HOTLINE_DB: seeded } });
    // National, all in BE: the police. Baseline with its medium in NL: the police (page) and the Dutch hotline.
    ids.national = await forwardedItem(t, 'https://national.example.test/page', 'national', 'BE');
    ids.baseline = await forwardedItem(t, 'https://baseline.example.test/page', 'baseline', 'NL');
    stored = rows(t.database, 'select contact_ciphertext, receipt_hash from reports') as typeof stored;
    t.database.close();
  }, 60_000);

  const run = (args: string[], env: Record<string, string> = {}) => hotlineExport(args, { HOTLINE_DB: seeded, ...env });
  const neverExported = () => [contact, ...receipts, ...stored.flatMap((r) => [r.contact_ciphertext, r.receipt_hash])];

  // Eight CLI runs: slow on a loaded machine.
  it('round-trips: export, export verify, openssl and sha256sum; one changed byte in any file fails verify', {
    timeout: 180_000,
  }, async () => {
    expect(stored).toHaveLength(2);
    expect(stored.every((r) => r.contact_ciphertext.length > 20 && r.receipt_hash.length > 20)).toBe(true);
    const file = join(dir, 'real-police.zip');
    const written = run(['--to', 'police', '--since', '2026-01-01', '--out', file], {
      HOTLINE_EXPORT_DESCRIPTIONS: 'on',
    });
    expect(written.code, written.err).toBe(0);
    expect(JSON.parse(written.out)).toMatchObject({ file, forwards: 2 });
    const verified = run(['verify', file]);
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.out).ok).toBe(true);

    const entries = await readZipEntries(file);
    const names = ['report.json', 'items.csv', 'hashes.vics.json', 'manifest-sha256.txt', 'manifest.sig'];
    expect([...entries.keys()]).toEqual(names);
    const report = JSON.parse(entries.get('report.json')?.toString('utf8') ?? '');
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
    expect(report.items.map((i: { item: { id: number } }) => i.item.id)).toEqual([ids.national, ids.baseline]);
    const vics = JSON.parse(entries.get('hashes.vics.json')?.toString('utf8') ?? '');
    expect(validateVics(vics), JSON.stringify(validateVics.errors)).toBe(true);
    expect(vics.value).toHaveLength(2);

    // Descriptions go to the police when configured (so the scan below can find what is there)...
    const everything = Buffer.concat([...entries.values()]).toString('utf8');
    expect(everything).toContain(description);
    // ...but a contact, its stored ciphertext, a receipt or its stored hash never.
    for (const secret of neverExported()) expect(everything).not.toContain(secret);

    // A receiver with openssl 3 and sha256sum alone.
    const unpacked = mkdtempSync(join(dir, 'unpacked-'));
    for (const [name, bytes] of entries) writeFileSync(join(unpacked, name), bytes);
    writeFileSync(join(unpacked, 'hotline.pub.pem'), run(['pubkey']).out);
    const openssl = spawnSync(
      'openssl',
      [
        'pkeyutl',
        '-verify',
        '-pubin',
        '-inkey',
        'hotline.pub.pem',
        '-rawin',
        '-in',
        'manifest-sha256.txt',
        '-sigfile',
        'manifest.sig',
      ],
      { cwd: unpacked, encoding: 'utf8' },
    );
    expect(openssl.error, 'openssl 3 must be installed').toBeUndefined();
    expect(openssl.status, openssl.stderr).toBe(0);
    expect(openssl.stdout).toMatch(/Signature Verified Successfully/);
    const sums = spawnSync('sha256sum', ['-c', 'manifest-sha256.txt'], { cwd: unpacked, encoding: 'utf8' });
    expect(sums.status).toBe(0);
    expect(sums.stdout.match(/: OK$/gm)).toHaveLength(3);

    for (const name of names) {
      const changed = new Map(entries);
      const bytes = Buffer.from(entries.get(name) as Buffer);
      const at = Math.floor(bytes.length / 2);
      bytes.writeUInt8((bytes.readUInt8(at) ^ 0x01) & 0xff, at);
      changed.set(name, bytes);
      const tampered = join(dir, `tampered-${name}.zip`);
      await writeZip(tampered, changed);
      const check = run(['verify', tampered]);
      expect(check.code, name).toBe(1);
      expect(JSON.parse(check.out).ok, name).toBe(false);
    }
  });

  it('gives the partner and INTERPOL no description, and INTERPOL only the baseline item', {
    timeout: 120_000,
  }, async () => {
    const partner = join(dir, 'real-nl.zip');
    expect(
      run(['--to', 'partner:NL', '--since', '2026-01-01', '--out', partner], { HOTLINE_EXPORT_DESCRIPTIONS: 'on' })
        .code,
    ).toBe(0);
    const interpol = join(dir, 'real-interpol.zip');
    const written = run(['--to', 'interpol', '--since', '2026-01-01', '--out', interpol], {
      HOTLINE_EXPORT_DESCRIPTIONS: 'on',
    });
    expect(written.code, written.err).toBe(0);
    expect(JSON.parse(written.out)).toMatchObject({ forwards: 1 });
    expect(JSON.parse(run(['verify', interpol]).out).ok).toBe(true);
    for (const file of [partner, interpol]) {
      const entries = await readZipEntries(file);
      const report = JSON.parse(entries.get('report.json')?.toString('utf8') ?? '');
      expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
      expect(report.items.map((i: { item: { id: number } }) => i.item.id)).toEqual([ids.baseline]);
      expect(report.descriptionsIncluded).toBe(false);
      const everything = Buffer.concat([...entries.values()]).toString('utf8');
      for (const secret of [description, ...neverExported()]) expect(everything).not.toContain(secret);
    }
  });
});
