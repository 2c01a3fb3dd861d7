import type { Config } from './config.ts';
import type { Db } from './db/client.ts';
import type { SigningKey } from './key-files.ts';
import type { Logger } from './logger.ts';

/** What the app and its domains are built from; nothing but main.ts and the tests imports app.ts. */
export interface AppDeps {
  config: Config;
  db: Db;
  logger: Logger;
  /** Milliseconds since the epoch; injected so tests can move time. */
  now: () => number;
  /** Whether this process's worker runs; absent when the worker runs elsewhere (HOTLINE_WORKER=off). */
  workerAlive?: () => boolean;
  /** The key export packages are signed with (src/key-files.ts, loaded once at start). */
  signingKey: SigningKey;
}
