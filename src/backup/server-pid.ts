import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * How `restore` and `key rotate` know a process is using the database: `npm start` and `hotline
 * worker` each write their pid beside the database and remove it when they stop (one file each, so
 * a server and a separate worker on the same database do not erase each other's). A file left by a
 * killed process names a dead one and is ignored. SQLite's own locks cannot tell: an idle server
 * holds none.
 */
export type PidRole = 'server' | 'worker';

export const serverPidPath = (dbPath: string, role: PidRole = 'server') =>
  `${resolve(dbPath)}${role === 'server' ? '' : `.${role}`}.pid`;

/** Writes this process's pid for `role`; the function returned removes it, if it is still ours. */
export function writeServerPid(dbPath: string, role: PidRole = 'server'): () => void {
  const path = serverPidPath(dbPath, role);
  writeFileSync(path, `${process.pid}\n`, { mode: 0o600 });
  return () => {
    if (pidIn(path) === process.pid) rmSync(path, { force: true });
  };
}

/** The pid of a live server or worker on this database, or undefined. */
export function runningServerPid(dbPath: string): number | undefined {
  for (const role of ['server', 'worker'] as const) {
    const pid = pidIn(serverPidPath(dbPath, role));
    if (pid !== undefined && isAlive(pid)) return pid;
  }
  return undefined;
}

function pidIn(path: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(path, 'utf8').trim());
  } catch {
    return undefined;
  }
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else: still running.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
