import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { afterAll, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { MANIFEST, type PackageFile, SIGNATURE, writeSignedPackage } from '../../src/forwarding/export/package.ts';
import { verifyPackage } from '../../src/forwarding/export/verify-package.ts';
import { loadSigningKey, signingKeyPath } from '../../src/key-files.ts';
import { readZipEntries } from './zip-entries.ts';

const dir = mkdtempSync(join(tmpdir(), 'hotline-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function* csvRows(n: number) {
  yield 'item_id,url\n';
  for (let i = 0; i < n; i++) yield `${i},https://example.invalid/${i}\n`;
}

const files = (): PackageFile[] => [
  { path: 'report.json', content: [JSON.stringify({ schema: 'test', items: 3 })] },
  { path: 'items.csv', content: csvRows(5_000) },
  {
    path: 'hashes.vics.json',
    content: (async function* () {
      yield Buffer.from('{"value":[]}');
    })(),
  },
];

async function writePackage(name: string, key = loadSigningKey(join(dir, 'hotline.db'))) {
  const path = join(dir, name);
  const result = await writeSignedPackage(files(), key, createWriteStream(path), new Date('2026-12-01T10:00:00Z'));
  return { path, result, key };
}

async function rezip(path: string, entries: Map<string, Buffer>) {
  const zip = new yazl.ZipFile();
  for (const [name, bytes] of entries) zip.addBuffer(bytes, name);
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(path));
}

describe('signed export packages', () => {
  it('makes the signing key once, owner-readable only, and keeps it', () => {
    const first = loadSigningKey(join(dir, 'keys.db'));
    expect(statSync(signingKeyPath(join(dir, 'keys.db'))).mode & 0o777).toBe(0o600);
    expect(loadSigningKey(join(dir, 'keys.db')).publicPem).toBe(first.publicPem);
    expect(first.publicPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
  });

  it('lists every file in the manifest and verifies', async () => {
    const { path, result, key } = await writePackage('ok.zip');
    const entries = await readZipEntries(path);
    expect([...entries.keys()]).toEqual(['report.json', 'items.csv', 'hashes.vics.json', MANIFEST, SIGNATURE]);
    expect(result.manifest.trim().split('\n')).toHaveLength(3);
    expect(result.sha256).toMatch(/^[0-9a-f]{64}$/);
    const check = await verifyPackage(path, key.publicKey);
    expect(check).toMatchObject({ ok: true, problems: [] });
    expect(check.files.map((f) => f.path)).toEqual(['report.json', 'items.csv', 'hashes.vics.json']);
  });

  it.each(['report.json', 'items.csv', 'hashes.vics.json', MANIFEST])(
    'fails when one byte of %s changes',
    async (name) => {
      const { path, key } = await writePackage(`base-${name}.zip`);
      const entries = await readZipEntries(path);
      const bytes = Buffer.from(entries.get(name) as Buffer);
      bytes[bytes.length - 2] = (bytes[bytes.length - 2] as number) ^ 0x01;
      entries.set(name, bytes);
      const tampered = join(dir, `tampered-${name}.zip`);
      await rezip(tampered, entries);
      const check = await verifyPackage(tampered, key.publicKey);
      expect(check.ok).toBe(false);
      expect(check.problems.join('\n')).toMatch(name === MANIFEST ? /signature/ : new RegExp(`${name} does not match`));
    },
  );

  it('fails on a file added outside the manifest, and under another key', async () => {
    const { path, key } = await writePackage('extra.zip');
    const entries = await readZipEntries(path);
    entries.set('extra.txt', Buffer.from('added later'));
    await rezip(join(dir, 'extra2.zip'), entries);
    expect((await verifyPackage(join(dir, 'extra2.zip'), key.publicKey)).problems).toEqual([
      'extra.txt is not in the manifest',
    ]);
    const other = loadSigningKey(':memory:');
    expect((await verifyPackage(path, other.publicKey)).problems).toEqual([
      'the signature does not match the manifest under this public key',
    ]);
  });

  it('fails on a name twice in the ZIP: a forged copy placed before the genuine one', async () => {
    const { path, key } = await writePackage('duplicate.zip');
    const entries = await readZipEntries(path);
    const zip = new yazl.ZipFile();
    zip.addBuffer(Buffer.from('{"schema":"forged"}'), 'report.json');
    for (const [name, bytes] of entries) zip.addBuffer(bytes, name);
    zip.end();
    const forged = join(dir, 'duplicate2.zip');
    await pipeline(zip.outputStream, createWriteStream(forged));
    const check = await verifyPackage(forged, key.publicKey);
    expect(check.ok).toBe(false);
    expect(check.problems).toEqual(['report.json appears more than once', 'report.json does not match its digest']);

    // The manifest or its signature twice fails the same way.
    for (const twice of [MANIFEST, SIGNATURE]) {
      const again = new yazl.ZipFile();
      for (const [name, bytes] of entries) again.addBuffer(bytes, name);
      again.addBuffer(entries.get(twice) as Buffer, twice);
      again.end();
      const file = join(dir, `twice-${twice}.zip`);
      await pipeline(again.outputStream, createWriteStream(file));
      expect((await verifyPackage(file, key.publicKey)).problems).toEqual([`${twice} appears more than once`]);
    }
  });

  it('verifies with openssl and sha256sum alone, as a receiver would', async () => {
    const { path, key } = await writePackage('receiver.zip');
    const unpacked = mkdtempSync(join(dir, 'unpacked-'));
    for (const [name, bytes] of await readZipEntries(path)) writeFileSync(join(unpacked, name), bytes);
    writeFileSync(join(unpacked, 'hotline.pub.pem'), key.publicPem);
    const openssl = spawnSync(
      'openssl',
      ['pkeyutl', '-verify', '-pubin', '-inkey', 'hotline.pub.pem', '-rawin', '-in', MANIFEST, '-sigfile', SIGNATURE],
      { cwd: unpacked, encoding: 'utf8' },
    );
    expect(openssl.error, 'openssl must be installed (.ci/run installs it)').toBeUndefined();
    expect(openssl.stdout).toMatch(/Signature Verified Successfully/);
    const sums = spawnSync('sha256sum', ['-c', MANIFEST], { cwd: unpacked, encoding: 'utf8' });
    expect(sums.status).toBe(0);
    expect(sums.stdout.match(/: OK$/gm)).toHaveLength(3);

    writeFileSync(join(unpacked, 'items.csv'), `${readFileSync(join(unpacked, 'items.csv'), 'utf8')}x`);
    expect(spawnSync('sha256sum', ['-c', MANIFEST], { cwd: unpacked }).status).not.toBe(0);
  });
});
