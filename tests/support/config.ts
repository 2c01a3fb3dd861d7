import { randomBytes } from 'node:crypto';
import { buildConfig, type Config, parseEnv } from '../../src/config.ts';

/** A configuration for tests: the defaults, an in-memory database, a random key, overrides applied. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  const env = parseEnv({ NODE_ENV: 'test', HOTLINE_DB: ':memory:', HOTLINE_LOG_LEVEL: 'silent', ...overrides });
  return buildConfig(env, randomBytes(32));
}
