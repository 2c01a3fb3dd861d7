import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildStale } from '../build-if-stale.ts';

export const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));

/** A server in a child process, on loopback, that a benchmark drives and may kill. */
export interface ServerProcess {
  origin: string;
  pid: number;
  /** The last of what it wrote to stderr (start problems, crashes). */
  stderrTail: () => string;
  /** Resolves with the signal or code it ended with. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Builds what `npm start` serves when it is stale, as `npm start` does first. */
export function buildLikeNpmStart(): void {
  if (!buildStale(repositoryRoot)) throw new Error('the build failed');
}

/**
 * Starts `node <args>` with `env` on top of a minimal environment, and waits until `/healthz`
 * on `127.0.0.1:port` answers 200 (and, with `workerRunning`, says its worker has started). stdout (the JSON log) is dropped, as a log shipper would take it
 * away; stderr is kept in part for the error message.
 */
export async function startServerProcess(
  args: string[],
  port: number,
  env: Record<string, string>,
  workerRunning = false,
): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: repositoryRoot,
    env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited at start: ${stderr}`);
    try {
      const health = await fetch(`${origin}/healthz`);
      const body = (await health.json()) as { worker?: string };
      if (health.ok && (!workerRunning || body.worker === 'running')) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not start within 60 s: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    origin,
    pid: child.pid as number,
    stderrTail: () => stderr,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
