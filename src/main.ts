import { createApp } from './app.ts';
import { firstAdminHint } from './auth/users.ts';
import { type BackgroundWork, createBackgroundWork } from './background-work.ts';
import { writeServerPid } from './backup/server-pid.ts';
import { offsetClock } from './clock.ts';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './db/client.ts';
import { runMigrations } from './db/migrate.ts';
import { createHttpServer } from './http/server-limits.ts';
import { loadSigningKey } from './key-files.ts';
import { createLogger } from './logger.ts';
import { shutdownGraceMs } from './triage/triage-worker.ts';

/** The background work beside the server; work that cannot start stops the process. */
function startBackgroundWork(
  deps: Parameters<typeof createBackgroundWork>[0],
  onStarted: (work: BackgroundWork) => void,
) {
  const work = createBackgroundWork(deps).then((w) => {
    w.start();
    onStarted(w);
    return w;
  });
  work.catch((error: unknown) => {
    deps.logger.fatal({ event: 'worker_start_failed', err: error }, 'the background work could not start');
    process.exit(2);
  });
  return work;
}

function start(): void {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const now = config.testClockFile ? offsetClock(config.testClockFile) : Date.now;
  const database = openDatabase(config.dbPath);
  runMigrations(database.db);
  // The export signing key is made at first start, beside the database key, so `export pubkey` can be handed out.
  const signingKey = loadSigningKey(config.dbPath);
  const hint = firstAdminHint(database.db);
  if (hint) process.stderr.write(hint);

  // `hotline restore` refuses to replace the database while this file names a live process.
  const removePid = config.dbPath === ':memory:' ? () => {} : writeServerPid(config.dbPath);
  let work: ReturnType<typeof startBackgroundWork> | undefined;
  let running: BackgroundWork | null = null;
  const app = createApp({
    config,
    db: database.db,
    logger,
    now,
    signingKey,
    ...(config.worker.enabled ? { workerHeartbeat: () => running?.lastRan() ?? null } : {}),
  });
  const server = createHttpServer(app);
  server.once('error', (error: NodeJS.ErrnoException) => {
    const reason =
      error.code === 'EADDRINUSE' ? 'is already in use' : `cannot be listened on (${error.code ?? error.name})`;
    process.stderr.write(`hotline: port ${config.port} ${reason}; set PORT to another port\n`);
    database.close();
    removePid();
    process.exit(1);
  });
  // The workers start only once the server serves: a start that fails to listen does no work.
  server.listen(config.port, config.host, () => {
    logger.info({ event: 'listening', port: config.port }, 'hotline is serving');
    if (!config.worker.enabled) return;
    work = startBackgroundWork({ config, db: database.db, logger, now, signingKey }, (started) => {
      running = started;
    });
  });

  const stop = () => {
    logger.info({ event: 'stopping' }, 'stopping');
    running = null;
    const workerStopped = Promise.resolve(work?.then((w) => w.stop(shutdownGraceMs)));
    server.close(() => {
      void workerStopped.finally(() => {
        database.close();
        removePid();
        process.exit(0);
      });
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

start();
