import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { createWorker, type Worker } from '../jobs/worker.ts';
import type { Logger } from '../logger.ts';
import type { TriageTools } from '../triage/pipeline.ts';
import { triageJobType, triageStateHooks } from '../triage/triage-job.ts';
import { createTriageTools } from '../triage/triage-tools.ts';
import { recheckJobType } from './recheck.ts';
import { recheckJobHandler, recheckSweepHandler, recheckSweepJobType, scheduleRecheckSweep } from './recheck-job.ts';

export interface RecheckWorker {
  worker: Worker;
  /** Stops the worker (see Worker.stop), then closes the fetcher's connections. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * The worker that follows forwarded items until they are gone: an hourly sweep queues the items
 * due (a day after their last re-check, jittered), each re-fetched through the safe fetcher as
 * triage fetches. A worker of its own beside triage, so a slow site never holds up new reports.
 * Schedules the current hour's sweep; the caller starts it. Only when fetching is on.
 */
export async function createRecheckWorker(deps: {
  config: Config;
  db: Db;
  logger: Logger;
  now: () => number;
  /** Tests inject tools and the jitter; by default the real tools, without bank matching. */
  tools?: TriageTools;
  random?: () => number;
}): Promise<RecheckWorker> {
  const { config, db, logger, now } = deps;
  let tools = deps.tools;
  let closeTools = async () => {};
  if (!tools) {
    const built = await createTriageTools(config, db, { matchBanks: false });
    tools = built.tools;
    closeTools = built.close;
  }
  const random = deps.random ?? Math.random;
  db.transaction((tx) => scheduleRecheckSweep(tx, now()));
  const worker = createWorker({
    db,
    logger,
    now,
    handlers: {
      [recheckSweepJobType]: recheckSweepHandler({ now, random }),
      [recheckJobType]: recheckJobHandler({ db, config, tools, now, random }),
    },
    // Every worker takes back any crashed worker's jobs: triage's hooks keep its items' state true.
    hooks: { [triageJobType]: triageStateHooks },
    concurrency: 2,
    budgetMs: config.worker.triageBudgetMs,
    pollMs: 60_000,
  });
  return {
    worker,
    async stop(graceMs) {
      await worker.stop(graceMs);
      await closeTools();
    },
  };
}
