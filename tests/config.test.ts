import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildConfig, ConfigError, loadConfig, parseEnv } from '../src/config.ts';

describe('configuration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has the documented defaults', () => {
    const env = parseEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.HOTLINE_DB).toBe('data/hotline.db');
    expect(env.HOTLINE_FETCH).toBe('on');
    expect(env.HOTLINE_FETCH_ALLOW).toEqual([]);
    expect(env.HOTLINE_FETCH_PORTS).toEqual([80, 443]);
    expect(env.HOTLINE_HOST).toBeUndefined();
  });

  it('takes a listen address in HOTLINE_HOST and refuses a name', () => {
    expect(parseEnv({ HOTLINE_HOST: '127.0.0.1' }).HOTLINE_HOST).toBe('127.0.0.1');
    expect(parseEnv({ HOTLINE_HOST: '::1' }).HOTLINE_HOST).toBe('::1');
    expect(() => parseEnv({ HOTLINE_HOST: 'hotline.example' })).toThrow(/HOTLINE_HOST/);
  });

  it('lists every problem at once', () => {
    try {
      parseEnv({
        PORT: 'eighty',
        HOTLINE_FETCH: 'maybe',
        HOTLINE_SECRET_KEY: 'short',
        HOTLINE_FETCH_ALLOW: 'example.com:80',
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      for (const name of ['PORT', 'HOTLINE_FETCH', 'HOTLINE_SECRET_KEY', 'HOTLINE_FETCH_ALLOW'])
        expect(problems).toContain(name);
      expect((error as ConfigError).message).not.toContain('short'); // values, secrets above all, are not echoed
    }
  });

  it('refuses the test-only fetch allowance outside tests', () => {
    expect(() => parseEnv({ HOTLINE_FETCH_ALLOW: '127.0.0.1:8080' })).toThrow(/HOTLINE_FETCH_ALLOW/);
    expect(() => parseEnv({ NODE_ENV: 'development', HOTLINE_FETCH_ALLOW: '127.0.0.1:8080' })).toThrow(ConfigError);
    expect(parseEnv({ NODE_ENV: 'test', HOTLINE_FETCH_ALLOW: '127.0.0.1:8080' }).HOTLINE_FETCH_ALLOW).toEqual([
      '127.0.0.1:8080',
    ]);
  });

  it('reads the audit anchor target: a file by absolute path, syslog, https, loopback http in tests only', () => {
    const anchor = (value: string, env: Record<string, string> = {}) =>
      parseEnv({ ...env, HOTLINE_AUDIT_ANCHOR: value }).HOTLINE_AUDIT_ANCHOR;
    expect(parseEnv({}).HOTLINE_AUDIT_ANCHOR).toBeUndefined();
    expect(anchor('file:/mnt/other/anchors.jsonl')).toEqual({ kind: 'file', path: '/mnt/other/anchors.jsonl' });
    expect(anchor('syslog')).toEqual({ kind: 'syslog' });
    expect(anchor('https://anchors.example.org/hotline')).toEqual({
      kind: 'http',
      url: 'https://anchors.example.org/hotline',
    });
    expect(anchor('http://127.0.0.1:9/a', { NODE_ENV: 'test' })).toEqual({ kind: 'http', url: 'http://127.0.0.1:9/a' });
    for (const refused of [
      'file:relative/anchors',
      'http://127.0.0.1:9/a',
      'http://anchors.example.org/',
      'https://user:secret@anchors.example.org/',
      'ftp://anchors.example.org/',
      'journal',
    ]) {
      expect(() => anchor(refused), refused).toThrow(/HOTLINE_AUDIT_ANCHOR/);
    }
    expect(() => anchor('http://anchors.example.org/', { NODE_ENV: 'test' })).toThrow(/HOTLINE_AUDIT_ANCHOR/);
  });

  it('reads the delivery settings, and refuses ones that cannot work, without echoing the SMTP password', () => {
    const delivery = buildConfig(parseEnv({}), Buffer.alloc(32)).forwarding.delivery;
    expect(delivery).toMatchObject({
      channels: { police: 'drop_folder', partner_hotline: 'drop_folder', hosting_provider: 'email', interpol: null },
      smtpUrl: undefined,
      retry: { minMs: 60_000, maxMs: 6 * 3_600_000, failedAfter: 5 },
      reminders: {
        everyMs: 24 * 3_600_000,
        workingHours: { timeZone: 'Europe/Brussels', firstDay: 1, lastDay: 5, startMinute: 540, endMinute: 1020 },
      },
    });
    const custom = parseEnv({
      HOTLINE_PARTNER_CHANNEL: 'iccam',
      HOTLINE_WORKING_DAYS: '6-2',
      HOTLINE_WORKING_HOURS: '08:30-24:00',
    });
    expect(buildConfig(custom, Buffer.alloc(32)).forwarding.delivery).toMatchObject({
      channels: { partner_hotline: 'iccam' },
      reminders: { workingHours: { firstDay: 6, lastDay: 2, startMinute: 510, endMinute: 1440 } },
    });
    const refused = {
      HOTLINE_SMTP_URL: 'smtp://user:s3cret-pw@relay.example.test:587',
      HOTLINE_WORKING_HOURS: '17:00-09:00',
      HOTLINE_TIME_ZONE: 'Europe/Atlantis',
      HOTLINE_PARTNER_CHANNEL: 'email',
    };
    try {
      parseEnv(refused);
      expect.unreachable();
    } catch (error) {
      const problems = (error as ConfigError).problems.join('\n');
      for (const name of ['HOTLINE_TIME_ZONE', 'HOTLINE_PARTNER_CHANNEL']) expect(problems).toContain(name);
      expect(problems).not.toContain('s3cret');
    }
    expect(() => parseEnv({ HOTLINE_SMTP_URL: 'smtp://relay.example.test' })).toThrow(/HOTLINE_MAIL_FROM/);
    expect(() => parseEnv({ HOTLINE_WORKING_HOURS: '17:00-09:00' })).toThrow(/HOTLINE_WORKING_HOURS/);
    expect(() => parseEnv({ HOTLINE_SMTP_URL: 'http://relay.example.test', HOTLINE_MAIL_FROM: 'a@b.test' })).toThrow(
      /HOTLINE_SMTP_URL/,
    );
    expect(() =>
      parseEnv({ HOTLINE_DELIVERY_RETRY_MIN_SECONDS: '90000', HOTLINE_DELIVERY_RETRY_MAX_HOURS: '24' }),
    ).toThrow(/HOTLINE_DELIVERY_RETRY_MIN_SECONDS/);
  });

  it('lets only tests turn the triage delay off', () => {
    expect(() => parseEnv({ HOTLINE_TRIAGE_DELAY: 'off' })).toThrow(/HOTLINE_TRIAGE_DELAY/);
    expect(parseEnv({ NODE_ENV: 'test', HOTLINE_TRIAGE_DELAY: 'off' }).HOTLINE_TRIAGE_DELAY).toBe('off');
  });

  it('generates the secret key on first start into a 0600 file beside the database, then reuses it', () => {
    const dbPath = join(dir, 'hotline.db');
    const first = loadConfig({ HOTLINE_DB: dbPath });
    const keyFile = `${dbPath}.key`;
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyFile, 'utf8').trim()).toBe(first.secretKey.toString('hex'));
    expect(loadConfig({ HOTLINE_DB: dbPath }).secretKey.equals(first.secretKey)).toBe(true);
    const given = 'ab'.repeat(32);
    expect(loadConfig({ HOTLINE_DB: dbPath, HOTLINE_SECRET_KEY: given }).secretKey.toString('hex')).toBe(given);
  });
});
