import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { offsetClock } from '../src/clock.ts';
import { ConfigError, parseEnv } from '../src/config.ts';

describe('offsetClock (tests only)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-clock-test-'));
  afterEach(() => rmSync(join(dir, 'offset'), { force: true }));

  it('is the real clock moved by the offset in the file, read again at every call', () => {
    const file = join(dir, 'offset');
    const now = offsetClock(file);
    const near = (value: number, target: number) => Math.abs(value - target) < 5_000;
    expect(near(now(), Date.now())).toBe(true);
    writeFileSync(file, String(48 * 3_600_000));
    expect(near(now(), Date.now() + 48 * 3_600_000)).toBe(true);
    writeFileSync(file, '-60000\n');
    expect(near(now(), Date.now() - 60_000)).toBe(true);
    writeFileSync(file, 'soon');
    expect(() => now()).toThrow(/not a number/);
  });

  it('is refused outside tests', () => {
    expect(() => parseEnv({ HOTLINE_TEST_CLOCK_FILE: '/tmp/x' })).toThrow(ConfigError);
    expect(() => parseEnv({ NODE_ENV: 'development', HOTLINE_TEST_CLOCK_FILE: '/tmp/x' })).toThrow(
      /HOTLINE_TEST_CLOCK_FILE/,
    );
    expect(parseEnv({ NODE_ENV: 'test', HOTLINE_TEST_CLOCK_FILE: '/tmp/x' }).HOTLINE_TEST_CLOCK_FILE).toBe('/tmp/x');
  });
});
