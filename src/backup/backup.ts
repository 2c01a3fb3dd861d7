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
 * The most pages SQLite's backup step takes (better-sqlite3 clamps the progress callback's answer
 * to this): every page in one step.
 */
const allPages = 0x7fffffff;

/**
 * Copies the live database into `file` with SQLite's online backup, in one step: the step reads
 * one consistent state under a read transaction while writers go on in the WAL. Copied a few
 * pages a step (better-sqlite3's default is 100), every write from another connection between
 * steps (the server's) restarts the copy from the start, so under steady load it never ends.
 * (better-sqlite3's first step copies nothing; the callback then asks for everything.) The copy is
 * checked (integrity_check) before it is reported good.
 */
export async function backupDatabase(source: Database.Database, file: string): Promise<BackupOutcome> {
  const target = resolve(file);
  if (existsSync(target)) throw new Error(`${target} exists; choose a new file name`);
  const { totalPages } = await source.backup(target, { progress: () => allPages });
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
