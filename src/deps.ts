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
  /**
   * When this process's background work last ran its polling loop (null when it is not running);
   * absent when the work runs elsewhere (HOTLINE_WORKER=off).
   */
  workerHeartbeat?: () => number | null;
  /** The key export packages are signed with (src/key-files.ts, loaded once at start). */
  signingKey: SigningKey;
}
