import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditActions } from '../../src/audit/actions.ts';
import { auditKey } from '../../src/audit/chain.ts';
import { auditedTransaction, recordAuditEvent } from '../../src/audit/record.ts';
import { openDatabase } from '../../src/db/client.ts';
import { runMigrations } from '../../src/db/migrate.ts';

// Through the real dispatcher (`npm run -s hotline -- audit verify`), on a database file.
let dir: string;
let dbPath: string;
const secretKeyHex = '11'.repeat(32);
const env = (key = secretKeyHex) => ({ ...process.env, HOTLINE_DB: dbPath, HOTLINE_SECRET_KEY: key });

function hotlineAudit(args: string[], key?: string) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'audit', ...args], {
    env: env(key),
    encoding: 'utf8',
  });
  return { code: result.status, out: result.stdout.trim(), err: result.stderr };
}

function withDatabase<T>(fn: (handle: ReturnType<typeof openDatabase>) => T): T {
  const handle = openDatabase(dbPath);
  try {
    return fn(handle);
  } finally {
    handle.close();
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hotline-audit-cli-'));
  dbPath = join(dir, 'hotline.db');
  withDatabase(({ db }) => {
    runMigrations(db);
    auditedTransaction(db, (tx) => {
      for (let i = 0; i < 6; i++) {
        recordAuditEvent(tx, auditKey({ hashKey: Buffer.from(secretKeyHex, 'hex') }), {
          at: 1000 + i,
          actor: 'system',
          action: auditActions[i] ?? 'user.create',
          objectType: 'user',
          objectId: i,
          details: { i },
        });
      }
    });
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hotline audit verify --anchors FILE', () => {
  it.each([
    ['missing', undefined, 'cannot read'],
    ['empty', '\n', 'holds no anchor'],
    ['damaged', '{"seq":1,"hash":"00","at":"2026-01-01T00:00:00.000Z"}\n', 'line 1'],
    ['half an anchor', `{"seq":1,"hash":"${'0'.repeat(64)}","at":"2026-01-01T00:00:00.000Z"}\n{"seq":2`, 'line 2'],
  ])('refuses a %s anchor file with exit 1, naming what is wrong', (_name, content, message) => {
    const file = join(dir, `anchors-${_name.replace(/ /g, '-')}`);
    if (content !== undefined) writeFileSync(file, content);
    const { code, out, err } = hotlineAudit(['verify', '--anchors', file]);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toContain(message);
  });
});

// In order: each test works on the database the one before left.
describe('hotline audit verify', () => {
  let head: { seq: number; hash: string };

  it('exits 0 on a sound chain and prints the head to keep elsewhere', () => {
    const { code, out } = hotlineAudit(['verify']);
    expect(code).toBe(0);
    const stored = withDatabase(({ sqlite }) =>
      sqlite.prepare('select seq, hash from audit_events where seq = 6').get(),
    );
    expect(JSON.parse(out)).toEqual({ ok: true, events: 6, head: stored, anchors: 0 });
    head = JSON.parse(out).head;
    expect(hotlineAudit(['verify', '--expect-head', `${head.seq}:${head.hash}`]).code).toBe(0);
  });

  it('exits 1 under another secret key, hinting at the key', () => {
    const { code, out, err } = hotlineAudit(['verify'], '22'.repeat(32));
    expect(code).toBe(1);
    expect(JSON.parse(out)).toEqual({ ok: false, events: 0, brokenAt: 1, reason: 'hash', anchors: 0 });
    expect(err).toContain('HOTLINE_SECRET_KEY');
  });

  it('exits 1 with --expect-head once the newest rows are cut off, though the rest is sound', () => {
    withDatabase(({ sqlite }) => sqlite.exec('delete from audit_events where seq = 6'));
    expect(hotlineAudit(['verify']).code).toBe(0);
    const { code, out, err } = hotlineAudit(['verify', '--expect-head', `${head.seq}:${head.hash}`]);
    expect(code).toBe(1);
    expect(JSON.parse(out)).toEqual({ ok: false, events: 5, brokenAt: 6, reason: 'anchor', anchors: 1 });
    expect(err).toContain('event 6');
  });

  it('exits 1 naming the first broken event after an edit', () => {
    withDatabase(({ sqlite }) => sqlite.exec(`update audit_events set details = '{"i":99}' where seq = 3`));
    const { code, out, err } = hotlineAudit(['verify']);
    expect(code).toBe(1);
    expect(JSON.parse(out)).toEqual({ ok: false, events: 2, brokenAt: 3, reason: 'hash', anchors: 0 });
    expect(err).toContain('event 3');
  });

  it.each([
    [[]],
    [['check']],
    [['verify', 'extra']],
    [['verify', '--expect-head', '6']],
    [['verify', '--expect-head', '06:ab']],
    [['verify', '--anchors']],
  ])('exits 1 with usage for %j', (args) => {
    const { code, err } = hotlineAudit(args);
    expect(code).toBe(1);
    expect(err).toContain('usage: hotline audit verify');
  });
});
