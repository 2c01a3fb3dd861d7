import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { auditKey } from '../../src/audit/chain.ts';
import { verifyAuditChain } from '../../src/audit/verify.ts';
import { totpSecretKey, totpSecretPlace } from '../../src/auth/users.ts';
import { backupDatabase } from '../../src/backup/backup.ts';
import { restoreDatabase } from '../../src/backup/restore.ts';
import { serverPidPath } from '../../src/backup/server-pid.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import { open } from '../../src/crypto/seal.ts';
import { type DatabaseHandle, type DbOrTx, openDatabase } from '../../src/db/client.ts';
import { runMigrations } from '../../src/db/migrate.ts';
import { contactPlace } from '../../src/intake/store-report.ts';
import { deriveIntakeKeys } from '../../src/intake/submit-report.ts';
import { hashKeyPath, loadSigningKey, secretKeyPath } from '../../src/key-files.ts';
import { unopenedSealedValue } from '../../src/key-rotation/reseal.ts';
import { pendingKeyPath, RotationRefused, rotateSecretKey } from '../../src/key-rotation/rotate-secret-key.ts';
import { createLogger } from '../../src/logger.ts';
import { createClock, type TestApp } from '../support/app.ts';
import { addUser, signIn, type TestUser } from '../support/auth.ts';
import { row } from '../support/db.ts';
import { sourceFiles, srcRoot } from '../support/import-graph.ts';

let dir: string;
let dbPath: string;
let handle: DatabaseHandle;
const clock = createClock();
const env = () => ({ NODE_ENV: 'test', HOTLINE_DB: dbPath, HOTLINE_LOG_LEVEL: 'silent' });

/** The real app on the database file, with the keys read from their files as `npm start` reads them. */
function appOnFile(): TestApp {
  const config = loadConfig(env());
  const app = createApp({
    config,
    db: handle.db,
    logger: createLogger('silent'),
    now: clock.now,
    signingKey: loadSigningKey(dbPath),
  });
  return { app, config, database: handle, clock, logLines: [] };
}

const keyHex = (path: string) => readFileSync(path, 'utf8').trim();
const contactKey = (config: Config) => deriveIntakeKeys(config.secretKey).contact;

async function report(t: TestApp, contact: string): Promise<{ receipt: string; id: number }> {
  const res = await request(t.app)
    .post('/api/v1/reports')
    .send({ urls: ['https://rotation.example/a'], description: 'seen', contact })
    .expect(201);
  const { id } = row(handle, 'select id from reports order by id desc limit 1') as { id: number };
  return { receipt: res.body.receipt, id };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hotline-rotate-'));
  dbPath = join(dir, 'hotline.db');
  handle = openDatabase(dbPath);
  runMigrations(handle.db);
});
afterEach(() => {
  handle.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('rotating the secret key', () => {
  it('re-seals contacts and TOTP secrets under a new key; the chain verifies, TOTP sign-in and receipts work', async () => {
    const before = appOnFile();
    const analyst: TestUser = await addUser(before, 'analyst');
    const first = await report(before, 'first@example.org');
    await report(before, '');
    const second = await report(before, 'second@example.org');
    const oldHex = keyHex(secretKeyPath(dbPath));
    const eventsBefore = (row(handle, 'select count(*) as n from audit_events') as { n: number }).n;

    const outcome = rotateSecretKey(before.config, handle.db, clock.now());

    expect(outcome.resealed).toEqual({ contacts: 2, totpSecrets: 1, formTokensForgotten: 0 });
    expect(outcome.hashKeyCreated).toBe(true);
    expect(keyHex(outcome.oldKeyBackup)).toBe(oldHex);
    expect(keyHex(outcome.keyFile)).not.toBe(oldHex);
    expect(keyHex(hashKeyPath(dbPath))).toBe(oldHex);
    for (const file of [outcome.keyFile, outcome.oldKeyBackup, outcome.hashKeyFile])
      expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(existsSync(pendingKeyPath(dbPath))).toBe(false);

    const after = appOnFile();
    expect(after.config.secretKey.toString('hex')).toBe(keyHex(outcome.keyFile));
    expect(after.config.hashKey.toString('hex')).toBe(oldHex);
    // Sealed data opens under the new key only.
    for (const { id, contact } of [
      { ...first, contact: 'first@example.org' },
      { ...second, contact: 'second@example.org' },
    ]) {
      const sealed = (row(handle, 'select contact_ciphertext as c from reports where id = ?', id) as { c: string }).c;
      expect(open(contactKey(after.config), sealed, contactPlace(id))).toBe(contact);
      expect(() => open(contactKey(before.config), sealed, contactPlace(id))).toThrow();
    }
    const totpSealed = (
      row(handle, 'select totp_secret_sealed as s from users where id = ?', analyst.id) as { s: string }
    ).s;
    expect(open(totpSecretKey(after), totpSealed, totpSecretPlace(analyst.id))).toBe(analyst.totpSecret);

    // The chain verifies under the hash key, ending with the rotation.
    expect(verifyAuditChain(handle.db, auditKey(after.config))).toMatchObject({ ok: true, events: eventsBefore + 1 });
    expect(row(handle, 'select seq, action, object_type, details from audit_events order by seq desc limit 1')).toEqual(
      {
        seq: outcome.auditSeq,
        action: 'key.rotate',
        object_type: 'secret_key',
        details: JSON.stringify({ contacts: 2, formTokensForgotten: 0, totpSecrets: 1 }),
      },
    );

    // The analyst signs in with their TOTP code; the reporter's receipt still resolves.
    await signIn(after, analyst);
    await request(after.app).post('/api/v1/status').send({ receipt: first.receipt }).expect(200);
    const contact = await request(after.app)
      .get(`/api/v1/reports/${first.id}/contact`)
      .set('Cookie', (await signIn(after, await addUser(after, 'supervisor'))).cookie)
      .expect(200);
    expect(contact.body.contact).toBe('first@example.org');

    // A second rotation keeps the hash key file as it is.
    const again = rotateSecretKey(after.config, handle.db, clock.now() + 1000);
    expect(again.hashKeyCreated).toBe(false);
    expect(keyHex(hashKeyPath(dbPath))).toBe(oldHex);
    expect(verifyAuditChain(handle.db, auditKey(appOnFile().config))).toMatchObject({ ok: true });
  });

  it('makes a restore of a backup from before it need the old key file', async () => {
    const t = appOnFile();
    await addUser(t, 'admin');
    await report(t, 'restored@example.org');
    const backupFile = join(dir, 'before.db');
    await backupDatabase(handle.sqlite, backupFile);
    const { oldKeyBackup } = rotateSecretKey(t.config, handle.db, clock.now());
    const keysOf = (secretKey: Buffer) => ({
      auditKey: auditKey(t.config),
      unopenedSealedValue: (db: DbOrTx) => unopenedSealedValue(db, secretKey),
    });

    const target = join(dir, 'restored', 'hotline.db');
    const newKey = loadConfig(env()).secretKey;
    expect(() => restoreDatabase(backupFile, target, keysOf(newKey), clock.now())).toThrow(/old key file/);
    expect(existsSync(target)).toBe(false);
    const oldKey = Buffer.from(keyHex(oldKeyBackup), 'hex');
    expect(restoreDatabase(backupFile, target, keysOf(oldKey), clock.now())).toEqual({
      restored: target,
      previous: undefined,
    });
  });

  it('forgets used form tokens: signed under the old key, they are refused afterwards anyway', async () => {
    const t = appOnFile();
    handle.sqlite
      .prepare("insert into used_form_tokens (nonce_hash, expires_at) values ('n1', ?)")
      .run(clock.now() + 1);
    expect(rotateSecretKey(t.config, handle.db, clock.now()).resealed.formTokensForgotten).toBe(1);
    expect(row(handle, 'select count(*) as n from used_form_tokens')).toEqual({ n: 0 });
  });

  it('changes nothing when refused: a server running, a damaged sealed value, a broken chain, an interrupted rotation', async () => {
    const t = appOnFile();
    await addUser(t, 'admin');
    await report(t, 'kept@example.org');
    const keyFile = secretKeyPath(dbPath);
    const oldHex = keyHex(keyFile);
    const digest = () => JSON.stringify(handle.sqlite.prepare('select * from reports, users').all());
    const unchanged = digest();
    const expectNothingChanged = () => {
      expect(keyHex(keyFile)).toBe(oldHex);
      expect(existsSync(hashKeyPath(dbPath))).toBe(false);
      expect(existsSync(pendingKeyPath(dbPath))).toBe(false);
      expect(digest()).toBe(unchanged);
    };

    writeFileSync(serverPidPath(dbPath), `${process.pid}\n`);
    expect(() => rotateSecretKey(t.config, handle.db, clock.now())).toThrow(/server \(pid \d+\) is using/);
    rmSync(serverPidPath(dbPath));
    expectNothingChanged();

    const rows = handle.sqlite.prepare('select id, contact_ciphertext as c from reports').all() as {
      id: number;
      c: string;
    }[];
    handle.sqlite.prepare('update reports set contact_ciphertext = ? where id = ?').run('AAAA'.repeat(12), rows[0]?.id);
    expect(() => rotateSecretKey(t.config, handle.db, clock.now())).toThrow(/does not open/);
    handle.sqlite.prepare('update reports set contact_ciphertext = ? where id = ?').run(rows[0]?.c, rows[0]?.id);
    expectNothingChanged();

    handle.sqlite.exec("update audit_events set actor = 'user:999' where seq = 1");
    expect(() => rotateSecretKey(t.config, handle.db, clock.now())).toThrow(RotationRefused);
    handle.sqlite.exec("update audit_events set actor = 'system' where seq = 1");
    expect(verifyAuditChain(handle.db, auditKey(t.config)).ok).toBe(true);

    writeFileSync(pendingKeyPath(dbPath), 'x');
    expect(() => rotateSecretKey(t.config, handle.db, clock.now())).toThrow(/interrupted/);
    rmSync(pendingKeyPath(dbPath));
    expectNothingChanged();

    const fromEnvironment = loadConfig({ ...env(), HOTLINE_SECRET_KEY: '77'.repeat(32) });
    expect(() => rotateSecretKey(fromEnvironment, handle.db, clock.now())).toThrow(/HOTLINE_SECRET_KEY/);
    expectNothingChanged();
  });
});

describe('hotline key rotate', () => {
  it('rotates and names the kept old key file; exit 1 while a server runs', () => {
    appOnFile();
    handle.close();
    const hotline = () =>
      spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'key', 'rotate'], {
        env: { ...process.env, ...env() },
        encoding: 'utf8',
      });
    writeFileSync(serverPidPath(dbPath), `${process.pid}\n`);
    const refused = hotline();
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('stop it first');
    rmSync(serverPidPath(dbPath));

    const done = hotline();
    expect(done.status, done.stderr).toBe(0);
    const outcome = JSON.parse(done.stdout);
    expect(outcome).toMatchObject({ keyFile: secretKeyPath(dbPath), hashKeyCreated: true });
    expect(done.stderr).toContain(outcome.oldKeyBackup);
    expect(existsSync(outcome.oldKeyBackup)).toBe(true);
    handle = openDatabase(dbPath);
  }, 120_000); // two CLI processes: slow on a loaded machine
});

describe('what a rotation covers', () => {
  // A new `seal(` caller seals under the secret key: resealAll (src/key-rotation/reseal.ts) must
  // then re-seal its column too, or the first rotation makes it unreadable. Add it there, then here.
  it('knows every place that seals under the secret key', () => {
    const sealing = sourceFiles()
      .filter((file) => /(?<![\w.])seal\(/.test(readFileSync(join(srcRoot, file), 'utf8')))
      .sort();
    expect(sealing).toEqual([
      'auth/users.ts', // users.totp_secret_sealed: re-sealed
      'crypto/seal.ts', // the definition
      'intake/form-token.ts', // used_form_tokens.receipt_sealed: forgotten
      'intake/submit-report.ts', // reports.contact_ciphertext: re-sealed
      'key-rotation/reseal.ts', // the rotation itself
    ]);
  });
});
