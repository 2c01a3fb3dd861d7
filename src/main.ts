import { createApp } from './app.ts';
import { firstAdminHint } from './auth/users.ts';
import { writeServerPid } from './backup/server-pid.ts';
import { type Clock, offsetClock } from './clock.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { type Db, openDatabase } from './db/client.ts';
import { runMigrations } from './db/migrate.ts';
import { createRecheckWorker, type RecheckWorker } from './forwarding/recheck-worker.ts';
import { createHttpServer } from './http/server-limits.ts';
import { loadSigningKey } from './key-files.ts';
import { createLogger, type Logger } from './logger.ts';
import { createHousekeepingWorker } from './retention/housekeeping-worker.ts';
import { createTriageWorker, shutdownGraceMs } from './triage/triage-worker.ts';

/** The triage worker beside the server; a worker that cannot start stops the process. */
function startWorker(config: Config, db: Db, logger: Logger, now: Clock, onStarted: () => void) {
  const worker = createTriageWorker({ config, db, logger, now }).then((w) => {
    w.worker.start();
    onStarted();
    return w;
  });
  worker.catch((error: unknown) => {
    logger.fatal({ event: 'worker_start_failed', err: error }, 'the triage worker could not start');
    process.exit(2);
  });
  return worker;
}

/** The re-check of forwarded items; it fetches, so it runs only when fetching is on. */
function startRecheckWorker(config: Config, db: Db, logger: Logger): Promise<RecheckWorker> | undefined {
  if (!config.fetch.enabled) return undefined;
  const recheck = createRecheckWorker({ config, db, logger, now: Date.now }).then((w) => {
    w.worker.start();
    return w;
  });
  recheck.catch((error: unknown) => {
    logger.fatal({ event: 'worker_start_failed', err: error }, 'the re-check worker could not start');
    process.exit(2);
  });
  return recheck;
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
  let workerRunning = false;
  const app = createApp({
    config,
    db: database.db,
    logger,
    now,
    signingKey,
    ...(config.worker.enabled ? { workerAlive: () => workerRunning } : {}),
  });
  let worker: ReturnType<typeof startWorker> | undefined;
  let housekeeping: ReturnType<typeof createHousekeepingWorker> | undefined;
  let recheck: Promise<RecheckWorker> | undefined;
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
  server.listen(config.port, () => {
    logger.info({ event: 'listening', port: config.port }, 'hotline is serving');
    if (!config.worker.enabled) return;
    worker = startWorker(config, database.db, logger, now, () => {
      workerRunning = true;
    });
    housekeeping = createHousekeepingWorker({ config, db: database.db, logger, now });
    housekeeping.start();
    recheck = startRecheckWorker(config, database.db, logger);
  });

  const stop = () => {
    logger.info({ event: 'stopping' }, 'stopping');
    workerRunning = false;
    const workerStopped = Promise.all([
      worker?.then((w) => w.stop(shutdownGraceMs)),
      housekeeping?.stop(shutdownGraceMs),
      recheck?.then((w) => w.stop(shutdownGraceMs)),
    ]);
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
