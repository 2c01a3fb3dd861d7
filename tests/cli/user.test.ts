import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { generateSync } from 'otplib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.ts';
import { openDatabase } from '../../src/db/client.ts';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hotline-user-cli-'));
  process.env.HOTLINE_DB = join(dir, 'hotline.db');
  process.env.HOTLINE_SECRET_KEY = randomBytes(32).toString('hex');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[], stdin = '') {
  let out = '';
  let err = '';
  const stdout = new PassThrough().on('data', (c) => (out += String(c)));
  const stderr = new PassThrough().on('data', (c) => (err += String(c)));
  const code = await runCli(['user', ...args], { stdin: Readable.from([stdin]), stdout, stderr });
  return {
    code,
    lines: out
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l)),
    err,
  };
}

const password = 'a long and unusual passphrase';

function dbRows(query: string) {
  const handle = openDatabase(process.env.HOTLINE_DB ?? '');
  try {
    return handle.sqlite.prepare(query).all() as Record<string, unknown>[];
  } finally {
    handle.close();
  }
}

describe('hotline user', () => {
  it('add prints the username, role, TOTP secret and otpauth URI once, and audits it', async () => {
    const { code, lines } = await run(['add', 'Alice', '--role', 'admin', '--password-stdin'], `${password}\n`);
    expect(code).toBe(0);
    expect(lines).toEqual([
      {
        username: 'alice',
        role: 'admin',
        totpSecret: expect.stringMatching(/^[A-Z2-7]{32}$/),
        otpauthUri: expect.stringMatching(/^otpauth:\/\/totp\//),
      },
    ]);
    expect(generateSync({ secret: lines[0].totpSecret })).toMatch(/^\d{6}$/);
    expect(dbRows('select action, actor from audit_events')).toEqual([{ action: 'user.create', actor: 'system' }]);
    expect(JSON.stringify(dbRows('select * from users'))).not.toContain(password);
  });

  it('reads the password from stdin only, and applies the password rules', async () => {
    expect((await run(['add', 'bob', '--role', 'analyst'], password)).code).toBe(1);
    const weak = await run(['add', 'bob', '--role', 'analyst', '--password-stdin'], 'password1234\n');
    expect(weak.code).toBe(1);
    expect(weak.err).toMatch(/password: .*common/);
    expect((await run(['add', 'bob', '--role', 'root', '--password-stdin'], password)).code).toBe(1);
    expect((await run(['add', '--role', 'analyst', '--password-stdin'], password)).code).toBe(1);
    expect(dbRows('select * from users')).toEqual([]);
  });

  it('refuses a taken name', async () => {
    await run(['add', 'carol', '--role', 'analyst', '--password-stdin'], password);
    const again = await run(['add', 'carol', '--role', 'analyst', '--password-stdin'], password);
    expect(again.code).toBe(1);
    expect(again.err).toContain('username_taken');
  });

  it('list, disable and reset', async () => {
    await run(['add', 'dan', '--role', 'admin', '--password-stdin'], password);
    const first = await run(['add', 'erin', '--role', 'analyst', '--password-stdin'], password);
    expect((await run(['list'])).lines.map((u) => [u.username, u.role, u.disabled])).toEqual([
      ['dan', 'admin', false],
      ['erin', 'analyst', false],
    ]);

    expect((await run(['disable', 'erin'])).lines).toEqual([{ username: 'erin', disabled: true }]);
    expect((await run(['list'])).lines.find((u) => u.username === 'erin')?.disabled).toBe(true);
    expect((await run(['disable', 'nobody'])).code).toBe(1);

    const before = dbRows(`select password_hash, totp_secret_sealed from users where username = 'erin'`)[0];
    const reset = await run(['reset', 'erin', '--password-stdin'], 'another long passphrase here\n');
    expect(reset.code).toBe(0);
    expect(reset.lines[0]).toMatchObject({ username: 'erin', role: 'analyst' });
    expect(reset.lines[0].totpSecret).not.toBe(first.lines[0].totpSecret);
    const after = dbRows(`select password_hash, totp_secret_sealed from users where username = 'erin'`)[0];
    expect(after?.password_hash).not.toBe(before?.password_hash);
    expect(after?.totp_secret_sealed).not.toBe(before?.totp_secret_sealed);
    expect(dbRows('select action from audit_events order by seq').map((r) => r.action)).toEqual([
      'user.create',
      'user.create',
      'user.disable',
      'user.reset',
    ]);
  });

  it('unlock ends a lock and the failure streak, keeping password and TOTP, and audits it', async () => {
    await run(['add', 'gus', '--role', 'analyst', '--password-stdin'], password);
    const lockedUntil = Date.now() + 3_600_000;
    const handle = openDatabase(process.env.HOTLINE_DB ?? '');
    handle.sqlite
      .prepare(`update users set failed_logins = 9, locked_until = ? where username = 'gus'`)
      .run(lockedUntil);
    handle.close();
    const secrets = `select password_hash, totp_secret_sealed, totp_last_step from users where username = 'gus'`;
    const before = dbRows(secrets);

    const res = await run(['unlock', 'gus']);
    expect(res.code).toBe(0);
    expect(res.lines).toEqual([{ username: 'gus', lockedUntil: null }]);
    expect(dbRows(`select failed_logins, locked_until from users where username = 'gus'`)).toEqual([
      { failed_logins: 0, locked_until: null },
    ]);
    expect(dbRows(secrets)).toEqual(before);
    const event = dbRows('select action, actor, object_type, details from audit_events order by seq desc limit 1')[0];
    expect(event).toEqual({
      action: 'user.unlock',
      actor: 'system',
      object_type: 'user',
      details: '{"failedLogins":9,"wasLocked":true}',
    });

    // Nothing left to end: no second event.
    expect((await run(['unlock', 'gus'])).code).toBe(0);
    expect(dbRows(`select count(*) as n from audit_events where action = 'user.unlock'`)).toEqual([{ n: 1 }]);
    expect((await run(['unlock', 'nobody'])).code).toBe(1);
  });

  it('will not disable the last admin', async () => {
    await run(['add', 'fay', '--role', 'admin', '--password-stdin'], password);
    const res = await run(['disable', 'fay']);
    expect(res.code).toBe(1);
    expect(res.err).toContain('last_admin');
  });

  it('prints usage for an unknown subcommand', async () => {
    const res = await run(['frobnicate']);
    expect(res.code).toBe(1);
    expect(res.err).toContain('usage: hotline user add');
  });
});
