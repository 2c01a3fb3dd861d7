import { chmodSync, existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';

export interface BackupOutcome {
  file: string;
  bytes: number;
  pages: number;
  integrity: string;
}

/**
 * Copies the live database into `file` with SQLite's online backup: readers and writers go on,
 * and the copy is one consistent state (the backup restarts if another process writes mid-way).
 * The copy is checked (integrity_check) before it is reported good.
 */
export async function backupDatabase(source: Database.Database, file: string): Promise<BackupOutcome> {
  const target = resolve(file);
  if (existsSync(target)) throw new Error(`${target} exists; choose a new file name`);
  const { totalPages } = await source.backup(target);
  chmodSync(target, 0o600);
  return { file: target, bytes: statSync(target).size, pages: totalPages, integrity: checkIntegrity(target) };
}

/** `ok`, or SQLite's first complaint about the file. */
export function checkIntegrity(file: string): string {
  const copy = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return String(copy.pragma('integrity_check', { simple: true }));
  } finally {
    copy.close();
  }
}
