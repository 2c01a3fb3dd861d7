import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { deliveryJobHooks, deliveryJobType } from '../forwarding/delivery/delivery-job.ts';
import { reminderJobHooks, reminderJobType } from '../forwarding/delivery/reminder-job.ts';
import { createWorker, type JobHandler, type Worker } from '../jobs/worker.ts';
import type { Logger } from '../logger.ts';
import { EarlierMedia } from '../matching/earlier-media.ts';
import type { TriageTools } from './pipeline.ts';
import { triageJobHandler, triageJobType, triageStateHooks } from './triage-job.ts';
import { createTriageTools } from './triage-tools.ts';

/** How long a stopping worker lets running jobs finish: under the usual 10 s before a SIGKILL. */
export const shutdownGraceMs = 8_000;

export interface RunningWorker {
  worker: Worker;
  /** Stops claiming, lets running jobs finish for `graceMs`, releases the rest, closes connections. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * The worker `npm start` and `hotline worker` run. With HOTLINE_FETCH=off it has no triage
 * handler, so triage jobs stay pending and their items stay `new` for an analyst (one a crashed
 * worker left running is put back, its item `new`); turning fetching back on triages that backlog.
 */
export async function createTriageWorker(deps: {
  config: Config;
  db: Db;
  logger: Logger;
  now: () => number;
  /** Tests inject tools; by default the real ones are built from the configuration. */
  tools?: TriageTools;
  lockMs?: number;
  pollMs?: number;
}): Promise<RunningWorker> {
  const { config, db, logger, now } = deps;
  const handlers: Record<string, JobHandler> = {};
  let closeTools = async () => {};
  if (config.fetch.enabled) {
    let tools = deps.tools;
    if (!tools) {
      const built = await createTriageTools(config, db);
      tools = built.tools;
      closeTools = built.close;
    }
    // Built at start from the media triaged so far; each stored result then tops it up.
    const earlierMedia = new EarlierMedia(config.matching);
    earlierMedia.refresh(db);
    handlers[triageJobType] = triageJobHandler({
      db,
      tools,
      now,
      earlierMedia,
      thresholds: config.matching.thresholds,
    });
  }
  const worker = createWorker({
    db,
    logger,
    now,
    handlers,
    // Every worker takes back any crashed worker's jobs: a delivery's or reminder's hooks enqueue the next try.
    hooks: {
      [triageJobType]: triageStateHooks,
      [deliveryJobType]: deliveryJobHooks({ config, now }),
      [reminderJobType]: reminderJobHooks({ config, now }),
    },
    concurrency: config.worker.concurrency,
    // A triage job's completion commits with `synchronous = NORMAL` (about 0.4 ms instead of 6.5 ms
    // for the fsync here). In WAL mode that loses nothing when the process crashes; a power cut or
    // OS crash can lose the last such commits, and then it loses whole transactions from the end of
    // the WAL: each job's completion with its results and the claims of the next jobs (its items
    // back to `new`, the jobs pending), so the durable queue runs them again. Nothing in it must
    // outlive a power cut on its own: triage writes no audit event (so no anchored audit head can
    // name a lost event), sends nothing out, and a receipt never waits for it. Every later FULL
    // commit on the file (intake, an analyst's action, a failure record) fsyncs the WAL and with it
    // every earlier frame, so nothing that builds on a triage result outlives it. Failures, releases
    // and reclaims stay FULL, and so does every commit of intake on the same connection.
    completionDurability: 'normal',
    budgetMs: config.worker.triageBudgetMs,
    ...(deps.lockMs === undefined ? {} : { lockMs: deps.lockMs }),
    ...(deps.pollMs === undefined ? {} : { pollMs: deps.pollMs }),
  });
  return {
    worker,
    async stop(graceMs) {
      await worker.stop(graceMs);
      await closeTools();
    },
  };
}
