import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseEnv } from '../src/config.ts';

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
