import { Writable } from 'node:stream';
import type { Express } from 'express';
import { createApp } from '../../src/app.ts';
import type { Config } from '../../src/config.ts';
import { type DatabaseHandle, openDatabase } from '../../src/db/client.ts';
import { runMigrations } from '../../src/db/migrate.ts';
import { loadSigningKey } from '../../src/key-files.ts';
import { createLogger } from '../../src/logger.ts';
import { testConfig } from './config.ts';

export interface TestClock {
  now: () => number;
  advance(ms: number): void;
  set(ms: number): void;
}

export function createClock(start = Date.UTC(2026, 10, 29, 12, 0, 0)): TestClock {
  let current = start;
  return {
    now: () => current,
    advance: (ms) => {
      current += ms;
    },
    set: (ms) => {
      current = ms;
    },
  };
}

export interface TestApp {
  app: Express;
  config: Config;
  database: DatabaseHandle;
  clock: TestClock;
  /** Every log line the app wrote, as raw JSON text. */
  logLines: string[];
}

/** The real app on a fresh database with the real migrations; logs captured at debug level. */
export function createTestApp(options: { env?: Record<string, string>; clock?: TestClock } = {}): TestApp {
  const config = testConfig({ HOTLINE_LOG_LEVEL: 'debug', ...options.env });
  const database = openDatabase(config.dbPath);
  runMigrations(database.db);
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const clock = options.clock ?? createClock();
  const app = createApp({
    config,
    db: database.db,
    logger: createLogger(config.logLevel, sink),
    now: clock.now,
    signingKey: loadSigningKey(':memory:'),
  });
  return { app, config, database, clock, logLines };
}

/** The hidden form token of a rendered form page. */
export function formTokenOf(page: string): string {
  const match = /name="formToken" value="([^"]+)"/.exec(page);
  if (!match?.[1]) throw new Error('no form token on the page');
  return match[1];
}
