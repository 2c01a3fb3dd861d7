import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * How `restore` knows a server is using the database: `npm start` writes its pid beside the
 * database and removes it when it stops. A file left by a killed server names a dead process and
 * is ignored. SQLite's own locks cannot tell: an idle server holds none.
 */
export const serverPidPath = (dbPath: string) => `${resolve(dbPath)}.pid`;

export function writeServerPid(dbPath: string): () => void {
  const path = serverPidPath(dbPath);
  writeFileSync(path, `${process.pid}\n`, { mode: 0o600 });
  return () => rmSync(path, { force: true });
}

/** The pid of a live server on this database, or undefined. */
export function runningServerPid(dbPath: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(serverPidPath(dbPath), 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else: still running.
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}
