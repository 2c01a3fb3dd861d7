import { describe, expect, it } from 'vitest';
import { runCrashTest } from '../../scripts/bench/crash.ts';

// `npm run bench -- crash` as a test: the real server killed with SIGKILL under load, restarted, and
// every acknowledged receipt still resolves. The normal suite kills once and checks that every
// item of a stored report still has its triage job; HOTLINE_LONG_TESTS=1 kills five times and waits
// for the job queue to finish every job (killed jobs come back when their one-minute lock expires).
// It builds dist/ first when stale, as `npm start` does: allow for that in the timeout.
const long = process.env.HOTLINE_LONG_TESTS === '1';

describe('a server killed under load', () => {
  it(`loses no acknowledged report (${long ? 'five kills' : 'one kill'})`, {
    timeout: long ? 900_000 : 300_000,
  }, async () => {
    const outcome = await runCrashTest(long ? { kills: 5, finishJobs: true } : { kills: 1, finishJobs: false });
    expect(outcome.acknowledged).toBeGreaterThan(0);
    expect(outcome.lost).toBe(0);
    expect(outcome.auditVerified).toBe(true);
    expect(outcome.auditEvents).toBeGreaterThan(0);
    expect(outcome.itemsWithoutJob).toBe(0);
    expect(outcome.jobs.total).toBeGreaterThanOrEqual(outcome.acknowledged);
    if (long) {
      expect(outcome.jobs).toMatchObject({ unfinished: 0, failed: 0 });
      expect(outcome.jobs.done).toBe(outcome.jobs.total - outcome.jobs.scheduled);
    }
  });
});
