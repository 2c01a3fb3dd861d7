import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DatabaseHandle, openDatabase } from '../../src/db/client.ts';
import { runMigrations } from '../../src/db/migrate.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A private data directory and temp directory for one test, with a migrated database. */
export function createWorkspace(prefix: string): {
  dir: string;
  dataDir: string;
  tmpDir: string;
  dbPath: string;
  open(): DatabaseHandle;
} {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const dataDir = join(dir, 'data');
  const tmpDir = join(dir, 'tmp');
  mkdirSync(dataDir);
  mkdirSync(tmpDir);
  const dbPath = join(dataDir, 'hotline.db');
  const migrated = openDatabase(dbPath);
  runMigrations(migrated.db);
  migrated.close();
  return { dir, dataDir, tmpDir, dbPath, open: () => openDatabase(dbPath) };
}

export interface CliProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs `hotline <args>` in a child process, as an operator would, with its own environment. */
export function spawnCli(args: string[], env: Record<string, string>): CliProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], {
    cwd: root,
    // tsx would cache compiled sources in TMPDIR; the temp directory must hold only what the worker wrote.
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', HOTLINE_LOG_LEVEL: 'warn', TSX_DISABLE_CACHE: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return { child, stdout: () => out, stderr: () => err, exited };
}
