import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditActions } from '../../src/audit/actions.ts';
import { recordAuditEvent } from '../../src/audit/record.ts';
import { openDatabase } from '../../src/db/client.ts';
import { runMigrations } from '../../src/db/migrate.ts';

// Through the real dispatcher (`npm run -s hotline -- audit verify`), on a database file.
let dir: string;
let dbPath: string;
const env = () => ({ ...process.env, HOTLINE_DB: dbPath, HOTLINE_SECRET_KEY: '11'.repeat(32) });

function auditVerify() {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'audit', 'verify'], {
    env: env(),
    encoding: 'utf8',
  });
  return { code: result.status, out: result.stdout.trim(), err: result.stderr };
}

function withDatabase(fn: (handle: ReturnType<typeof openDatabase>) => void) {
  const handle = openDatabase(dbPath);
  try {
    fn(handle);
  } finally {
    handle.close();
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hotline-audit-cli-'));
  dbPath = join(dir, 'hotline.db');
  withDatabase(({ db }) => {
    runMigrations(db);
    db.transaction((tx) => {
      for (let i = 0; i < 5; i++) {
        const action = auditActions[i] ?? 'user.create';
        recordAuditEvent(tx, {
          at: 1000 + i,
          actor: 'system',
          action,
          objectType: 'user',
          objectId: i,
          details: { i },
        });
      }
    });
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hotline audit verify', () => {
  it('exits 0 with {"ok":true,"events":N} on a sound chain', () => {
    const { code, out } = auditVerify();
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({ ok: true, events: 5 });
  });

  it('exits 1 naming the first broken event after an edit', () => {
    withDatabase(({ sqlite }) => sqlite.exec(`update audit_events set details = '{"i":99}' where seq = 3`));
    const { code, out, err } = auditVerify();
    expect(code).toBe(1);
    expect(JSON.parse(out)).toEqual({ ok: false, events: 2, brokenAt: 3, reason: 'hash' });
    expect(err).toContain('event 3');
  });

  it('exits 1 with usage for anything but `verify`', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'audit'], {
      env: env(),
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
  });
});
