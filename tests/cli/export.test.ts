import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.ts';
import { runMigrations } from '../../src/db/migrate.ts';
import { loadSigningKey } from '../../src/key-files.ts';
import { readZipEntries } from '../forwarding/zip-entries.ts';

// Through the real dispatcher, on a database file.
let dir: string;
let dbPath: string;

function hotlineExport(args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'export', ...args], {
    env: { ...process.env, HOTLINE_DB: dbPath, HOTLINE_SECRET_KEY: '22'.repeat(32) },
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
