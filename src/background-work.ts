import type { Config } from './config.ts';
import type { Db } from './db/client.ts';
import { recheckJobType } from './forwarding/recheck.ts';
import { recheckSweepJobType } from './forwarding/recheck-job.ts';
import { createRecheckWorker } from './forwarding/recheck-worker.ts';
import type { Worker } from './jobs/worker.ts';
import type { SigningKey } from './key-files.ts';
import type { Logger } from './logger.ts';
import { createHousekeepingWorker } from './retention/housekeeping-worker.ts';
import { triageJobType } from './triage/triage-job.ts';
import { createTriageWorker } from './triage/triage-worker.ts';

/** One worker of the background work, with what must close after it stops. */
interface RunningWorker {
  name: 'triage' | 'housekeeping' | 'recheck';
  worker: Worker;
  stop(graceMs: number): Promise<void>;
}

export interface BackgroundWork {
  /** Which workers run (the re-check only when fetching is on: it fetches). */
  names: RunningWorker['name'][];
  start(): void;
  /** Runs every job due now in each worker, then returns how many ran in each. */
  drain(): Promise<Partial<Record<RunningWorker['name'], number>>>;
  stop(graceMs: number): Promise<void>;
  /** The stalest heartbeat of the workers' polling loops (null until every one has run). */
  lastRan(): number | null;
}

/**
 * The job types no worker takes under this configuration, wherever the background work runs:
 * with HOTLINE_FETCH=off, triage and the re-check (they fetch) wait for fetching to come back on,
 * so their due jobs say nothing about the health of the workers.
 */
export function idleJobTypes(config: Config): string[] {
  return config.fetch.enabled ? [] : [triageJobType, recheckJobType, recheckSweepJobType];
}

/**
 * Every worker of the job queue, the same in `npm start` and in `hotline worker` (a deployment
 * that keeps the work apart from the web process must not lose the purge, the audit anchor, the
 * delivery of forwards or the re-check): triage; housekeeping (purge, anchor, delivery,
 * reminders); the re-check of forwarded items when fetching is on. Each claims only its own job
 * types. A worker that cannot be made stops the ones already made and rejects.
 */
export async function createBackgroundWork(deps: {
  config: Config;
  db: Db;
  logger: Logger;
  now: () => number;
  signingKey: SigningKey;
}): Promise<BackgroundWork> {
  const { config, db, logger, now, signingKey } = deps;
  const running: RunningWorker[] = [];
  try {
    const triage = await createTriageWorker({ config, db, logger, now });
    running.push({ name: 'triage', worker: triage.worker, stop: (grace) => triage.stop(grace) });
    const housekeeping = createHousekeepingWorker({ config, db, logger, now, signingKey });
    running.push({ name: 'housekeeping', worker: housekeeping, stop: (grace) => housekeeping.stop(grace) });
    if (config.fetch.enabled) {
      const recheck = await createRecheckWorker({ config, db, logger, now });
      running.push({ name: 'recheck', worker: recheck.worker, stop: (grace) => recheck.stop(grace) });
    }
  } catch (error) {
    await Promise.all(running.map((r) => r.stop(0)));
    throw error;
  }
  return {
    names: running.map((r) => r.name),
    start: () => {
      for (const r of running) r.worker.start();
    },
    drain: async () => {
      const jobs: Partial<Record<RunningWorker['name'], number>> = {};
      for (const r of running) jobs[r.name] = await r.worker.drain();
      return jobs;
    },
    lastRan: () => {
      const polls = running.map((r) => r.worker.lastPolledAt());
      return polls.some((at) => at === null) ? null : Math.min(...(polls as number[]));
    },
    stop: async (graceMs) => {
      await Promise.all(running.map((r) => r.stop(graceMs)));
    },
  };
}
