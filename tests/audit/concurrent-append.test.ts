import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { auditKey } from '../../src/audit/chain.ts';
import { verifyAuditChain } from '../../src/audit/verify.ts';
import { unlockUser, updateUser } from '../../src/auth/users.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { addUser, asSession, sessionFor, type TestUser, totpCode } from '../support/auth.ts';
import { rows } from '../support/db.ts';

// Every change that appends an audit event must wait for a concurrent append by another process
// (the CLI) rather than fail: a deferred transaction would read the old chain head, then hit
// SQLITE_BUSY_SNAPSHOT at its first write, and the API would answer 500.

// Long enough for the app to reach its transaction while the other process still holds the lock.
const holdMs = 400;
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function appOnFile(): TestApp {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-concurrent-'));
  const t = createTestApp({ env: { HOTLINE_DB: join(dir, 'hotline.db') } });
  cleanups.push(() => {
    t.database.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return t;
}

/** Starts the other process; resolves once it holds the write lock with its event appended. */
async function otherProcessAppending(t: TestApp): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'tests/audit/fixtures/hold-write-lock.ts',
      t.config.dbPath,
      t.config.secretKey.toString('hex'),
      String(holdMs),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] as const },
  );
  cleanups.push(() => child.kill());
  const [chunk] = await once(child.stdout, 'data');
  expect(String(chunk)).toBe('locked\n');
  return child;
}

/** Sets up (before the other process takes the lock) and returns the change to make, which answers a status. */
type Operation = (t: TestApp, user: TestUser) => Promise<() => Promise<number>>;

const operations: Record<string, Operation> = {
  'a login': async (t, user) => async () =>
    (
      await request(t.app)
        .post('/api/v1/session')
        .send({ username: user.username, password: user.password, totp: totpCode(user, t.clock.now()) })
    ).status,
  'a failed login': async (t, user) => async () =>
    (await request(t.app).post('/api/v1/session').send({ username: user.username, password: 'wrong', totp: '000000' }))
      .status,
  'a logout': async (t, user) => {
    const session = sessionFor(t, user);
    return async () => (await request(t.app).delete('/api/v1/session').set(asSession(session))).status;
  },
  'an account change (CLI)': async (t, user) => async () => {
    updateUser({ db: t.database.db, config: t.config, now: t.clock.now }, 'system', user.id, { role: 'supervisor' });
    return 200;
  },
  'an unlock (CLI)': async (t, user) => {
    t.database.sqlite.prepare('update users set failed_logins = 7 where id = ?').run(user.id);
    return async () => {
      unlockUser({ db: t.database.db, config: t.config, now: t.clock.now }, 'system', user.id);
      return 200;
    };
  },
};

const expectedStatus: Record<string, number> = { 'a failed login': 401, 'a logout': 204 };

describe('a change made while another process appends to the audit chain', () => {
  for (const [name, operation] of Object.entries(operations)) {
    it(`${name} waits for it, succeeds and leaves a sound chain`, async () => {
      const t = appOnFile();
      const user = await addUser(t, 'analyst');
      const change = await operation(t, user);
      const before = rows(t.database, 'select seq from audit_events').length;

      const other = await otherProcessAppending(t);
      const exited = once(other, 'exit');
      const status = await change();
      const [exitCode] = await exited;

      expect(status).toBe(expectedStatus[name] ?? 200);
      expect(exitCode).toBe(0);
      const actions = rows(t.database, 'select action, actor from audit_events where seq > ? order by seq', before);
      expect(actions).toHaveLength(2);
      // The other process held the lock first, so its event comes first.
      expect(actions[0]).toEqual({ action: 'user.unlock', actor: 'system' });
      expect(verifyAuditChain(t.database.db, auditKey(t.config))).toMatchObject({ ok: true, events: before + 2 });
    });
  }
});
