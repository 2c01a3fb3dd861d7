import { createApp } from './app.ts';
import { firstAdminHint } from './auth/users.ts';
import { writeServerPid } from './backup/server-pid.ts';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './db/client.ts';
import { runMigrations } from './db/migrate.ts';
import { createHttpServer } from './http/server-limits.ts';
import { createLogger } from './logger.ts';
import { createHousekeepingWorker } from './retention/housekeeping-worker.ts';
import { createTriageWorker, shutdownGraceMs } from './triage/triage-worker.ts';

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
  const database = openDatabase(config.dbPath);
  runMigrations(database.db);
  const hint = firstAdminHint(database.db);
  if (hint) process.stderr.write(hint);

  // `hotline restore` refuses to replace the database while this file names a live process.
  const removePid = config.dbPath === ':memory:' ? () => {} : writeServerPid(config.dbPath);
  let workerRunning = false;
  const app = createApp({
    config,
    db: database.db,
    logger,
    now: Date.now,
    ...(config.worker.enabled ? { workerAlive: () => workerRunning } : {}),
  });
  const server = createHttpServer(app).listen(config.port, () => {
    logger.info({ event: 'listening', port: config.port }, 'hotline is serving');
  });

  const worker = config.worker.enabled
    ? createTriageWorker({ config, db: database.db, logger, now: Date.now }).then((w) => {
        w.worker.start();
        workerRunning = true;
        return w;
      })
    : undefined;
  const housekeeping = config.worker.enabled
    ? createHousekeepingWorker({ config, db: database.db, logger, now: Date.now })
    : undefined;
  housekeeping?.start();
  worker?.catch((error: unknown) => {
    logger.fatal({ event: 'worker_start_failed', err: error }, 'the triage worker could not start');
    process.exit(2);
  });

  const stop = () => {
    logger.info({ event: 'stopping' }, 'stopping');
    workerRunning = false;
    const workerStopped = Promise.all([
      worker?.then((w) => w.stop(shutdownGraceMs)),
      housekeeping?.stop(shutdownGraceMs),
    ]);
    server.close(() => {
      void Promise.resolve(workerStopped).finally(() => {
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
