import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serverPidPath } from '../../src/backup/server-pid.ts';
import { type CliProcess, createWorkspace, spawnCli } from '../support/worker-process.ts';

// `hotline worker` on the database guards it as `npm start` does: restore (and key rotate, which
// asks the same question) refuse while it runs, and accept once it stopped.
const workspace = createWorkspace('hotline-worker-pid-');
const env = { HOTLINE_DB: workspace.dbPath, HOTLINE_SECRET_KEY: '55'.repeat(32), HOTLINE_FETCH: 'off' };
const backup = join(workspace.dir, 'copy.db');
afterAll(() => rmSync(workspace.dir, { recursive: true, force: true }));

async function run(args: string[]) {
  const cli = spawnCli(args, env);
  const { code } = await cli.exited;
  return { code, out: cli.stdout(), err: cli.stderr() };
}

async function until(cli: CliProcess, condition: () => boolean) {
  while (!condition()) {
    if (cli.child.exitCode !== null) throw new Error(`worker exited: ${cli.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('hotline worker and the pid file', () => {
  it('is seen by restore while it runs, and removes its pid file when it stops', async () => {
    expect((await run(['backup', backup])).code).toBe(0);
    const worker = spawnCli(['worker'], env);
    try {
      await until(worker, () => worker.stderr().includes('workers running'));
      const pidFile = serverPidPath(workspace.dbPath, 'worker');
      expect(existsSync(pidFile)).toBe(true);
      const refused = await run(['restore', backup]);
      expect(refused.code).toBe(1);
      expect(refused.err).toContain(`a server or worker (pid ${worker.child.pid}) is using`);
      worker.child.kill('SIGTERM');
      expect((await worker.exited).code).toBe(0);
      expect(existsSync(pidFile)).toBe(false);
      const restored = await run(['restore', backup]);
      expect(restored.code, restored.err).toBe(0);
    } finally {
      if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
    }
  }, 120_000);
});
