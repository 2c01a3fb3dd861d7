import { createApp } from './app.ts';
import { firstAdminHint } from './auth/users.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { type Db, openDatabase } from './db/client.ts';
import { runMigrations } from './db/migrate.ts';
import { createLogger, type Logger } from './logger.ts';
import { createTriageWorker, shutdownGraceMs } from './triage/triage-worker.ts';

/** The triage worker beside the server; a worker that cannot start stops the process. */
function startWorker(config: Config, db: Db, logger: Logger) {
  const worker = createTriageWorker({ config, db, logger, now: Date.now }).then((w) => {
    w.worker.start();
    return w;
  });
  worker.catch((error: unknown) => {
    logger.fatal({ event: 'worker_start_failed', err: error }, 'the triage worker could not start');
    process.exit(2);
  });
  return worker;
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
  const database = openDatabase(config.dbPath);
  runMigrations(database.db);
  const hint = firstAdminHint(database.db);
  if (hint) process.stderr.write(hint);

  const app = createApp({ config, db: database.db, logger, now: Date.now });
  let worker: ReturnType<typeof startWorker> | undefined;
  // Express 5 hands a listen error (a port in use) to this callback instead of throwing it.
  const server = app.listen(config.port, (error?: Error) => {
    if (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason = code === 'EADDRINUSE' ? 'is already in use' : `cannot be listened on (${code ?? error.name})`;
      process.stderr.write(`hotline: port ${config.port} ${reason}; set PORT to another port\n`);
      database.close();
      process.exit(1);
    }
    logger.info({ event: 'listening', port: config.port }, 'hotline is serving');
    worker = config.worker.enabled ? startWorker(config, database.db, logger) : undefined;
  });

  const stop = () => {
    logger.info({ event: 'stopping' }, 'stopping');
    const workerStopped = worker?.then((w) => w.stop(shutdownGraceMs));
    server.close(() => {
      void Promise.resolve(workerStopped).finally(() => {
        database.close();
        process.exit(0);
      });
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

start();
