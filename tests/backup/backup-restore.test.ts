import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditKey } from '../../src/audit/chain.ts';
import { auditedTransaction, recordAuditEvent } from '../../src/audit/record.ts';
import { openDatabase } from '../../src/db/client.ts';
import { hashReceipt, normaliseReceipt } from '../../src/intake/receipt.ts';
import { deriveIntakeKeys } from '../../src/intake/submit-report.ts';
import { type RunningServer, startRealServer } from '../support/server.ts';

const secretKeyHex = '33'.repeat(32);
const secretKey = Buffer.from(secretKeyHex, 'hex');
const figure = (name: string, value: unknown) => process.stdout.write(`${JSON.stringify({ figure: name, value })}\n`);

/** Runs `hotline <args>` without blocking this process: the load goes on meanwhile. */
function hotline(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], {
      env: { ...process.env, ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => {
      out += String(c);
    });
    child.stderr.on('data', (c) => {
      err += String(c);
    });
    child.on('close', (code) => resolve({ code, out: out.trim(), err }));
  });
}

let server: RunningServer;
let dir: string;
let dbPath: string;
const env = () => ({ HOTLINE_DB: dbPath, HOTLINE_SECRET_KEY: secretKeyHex });
const receiptHash = (receipt: string) =>
  hashReceipt(deriveIntakeKeys(secretKey).receipt, normaliseReceipt(receipt) ?? receipt);

beforeAll(async () => {
  server = await startRealServer({
    HOTLINE_WORKER: 'off',
    HOTLINE_SECRET_KEY: secretKeyHex,
    HOTLINE_REPORT_LIMIT: '1000000',
  });
  dbPath = join(server.dataDir, 'hotline.db');
  dir = mkdtempSync(join(tmpdir(), 'hotline-backup-'));
  // An audit event, so that the chain says which key the database belongs to.
  const handle = openDatabase(dbPath);
  auditedTransaction(handle.db, (tx) =>
    recordAuditEvent(tx, auditKey({ hashKey: secretKey }), {
      at: Date.now(),
      actor: 'system',
      action: 'user.create',
      objectType: 'user',
      objectId: 1,
    }),
  );
  handle.close();
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('hotline backup and restore', () => {
  const backupFile = () => join(dir, 'copy.db');

  it('takes a consistent copy while reports arrive, holding every report acknowledged before it began', async () => {
    const acknowledged: string[] = [];
    let loading = true;
    const reporter = async (n: number) => {
      for (let i = 0; loading; i++) {
        const res = await fetch(`${server.baseUrl}/api/v1/reports`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({
            urls: [`https://load${n}.example/${i}`, `https://shared.example/${i % 7}`],
            category: 'other',
            siteType: 'forum',
            mediaType: 'text',
            description: `report ${n}-${i}`,
          }),
        });
        expect(res.status).toBe(201);
        acknowledged.push(((await res.json()) as { receipt: string }).receipt);
      }
    };
    const load = Promise.all([0, 1, 2, 3].map(reporter));
    while (acknowledged.length < 50) await new Promise((r) => setTimeout(r, 20));
    const before = [...acknowledged];
    const result = await hotline(['backup', backupFile()], env());
    const during = acknowledged.length - before.length;
    loading = false;
    await load;

    expect(result.code, result.err).toBe(0);
    const printed = JSON.parse(result.out);
    expect(printed).toMatchObject({ integrity: 'ok', secretKey: 'HOTLINE_SECRET_KEY (environment)' });
    expect(result.err).toContain('Keep the secret key');

    const copy = new Database(backupFile(), { readonly: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(copy.pragma('foreign_key_check')).toEqual([]);
      // No half-stored report: each has both its addresses.
      const partial = copy
        .prepare(
          'select r.id from reports r left join report_urls u on u.report_id = r.id group by r.id having count(u.id) <> 2',
        )
        .all();
      expect(partial).toEqual([]);
      const hashes = new Set(copy.prepare('select receipt_hash from reports').pluck().all());
      expect(before.filter((r) => !hashes.has(receiptHash(r)))).toEqual([]);
      figure('backup_under_load', {
        acknowledgedBeforeBackup: before.length,
        acknowledgedDuringBackup: during,
        reportsInBackup: hashes.size,
        bytes: printed.bytes,
      });
    } finally {
      copy.close();
    }
  });

  it('refuses to restore over the database of a running server', async () => {
    const result = await hotline(['restore', backupFile()], env());
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/a server or worker \(pid \d+\) is using/);
  });

  it('restores once the server is stopped, moving the replaced database aside', async () => {
    await server.stop();
    // stop() removes the data directory: restore into a fresh place, as after losing a disk.
    dbPath = join(dir, 'restored', 'hotline.db');
    const missing = await hotline(['restore', join(dir, 'nope.db')], env());
    expect(missing.code).toBe(1);
    const restored = await hotline(['restore', backupFile()], env());
    expect(restored.code, restored.err).toBe(0);
    expect(JSON.parse(restored.out)).toEqual({ restored: dbPath });
    const again = await hotline(['restore', backupFile()], env());
    expect(again.code).toBe(0);
    expect(existsSync(JSON.parse(again.out).previous)).toBe(true);
    const audit = await hotline(['audit', 'verify'], env());
    expect(audit.code, audit.err).toBe(0);
  });

  it('refuses a backup made under another key, or a file that is not a Hotline database', async () => {
    const wrongKey = await hotline(['restore', backupFile()], { ...env(), HOTLINE_SECRET_KEY: '44'.repeat(32) });
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.err).toContain('does not verify under the configured secret key');
    const junk = join(dir, 'junk.db');
    writeFileSync(junk, 'not a database at all, just text');
    const notOurs = await hotline(['restore', junk], env());
    expect(notOurs.code).toBe(1);
    expect(notOurs.err).toContain('restore refused');
  });

  it('refuses an existing backup file name and bad arguments', async () => {
    expect((await hotline(['backup', backupFile()], env())).code).toBe(2);
    expect((await hotline(['backup'], env())).code).toBe(1);
    expect((await hotline(['restore', '--force', backupFile()], env())).code).toBe(1);
  });
});
