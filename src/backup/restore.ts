import { chmodSync, copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { verifyAuditChain } from '../audit/verify.ts';
import type { DbOrTx } from '../db/client.ts';
import { checkIntegrity } from './backup.ts';
import { runningServerPid } from './server-pid.ts';

/** Why a restore did not happen; nothing was changed. */
export class RestoreRefused extends Error {}

export interface RestoreOutcome {
  restored: string;
  /** Where the database that was replaced was moved, if there was one. */
  previous: string | undefined;
}

/**
 * What a backup must open under: the audit key of the chain, and a check that every sealed value
 * opens under the secret key (a backup from before `hotline key rotate` needs the old key file):
 * the message of the first that does not, or undefined.
 */
export interface RestoreKeys {
  auditKey: Buffer;
  unopenedSealedValue: (db: DbOrTx) => string | undefined;
}

function checkBackup(file: string, keys: RestoreKeys): void {
  if (!existsSync(file)) throw new RestoreRefused(`${file} does not exist`);
  let integrity: string;
  try {
    integrity = checkIntegrity(file);
  } catch (error) {
    throw new RestoreRefused(`${file} cannot be read as a database: ${(error as Error).message}`);
  }
  if (integrity !== 'ok') throw new RestoreRefused(`${file} is damaged: ${integrity}`);
  const copy = new Database(file, { readonly: true });
  try {
    const tables = copy.prepare("select name from sqlite_master where type = 'table'").pluck().all();
    if (!tables.includes('reports') || !tables.includes('audit_events'))
      throw new RestoreRefused(`${file} is not a Hotline database`);
    // The key must be the one the backup was made under: else receipts, contacts and the chain are lost.
    if (!verifyAuditChain(drizzle(copy), keys.auditKey).ok)
      throw new RestoreRefused(`the audit chain of ${file} does not verify under the configured secret key`);
    const unopened = keys.unopenedSealedValue(drizzle(copy));
    if (unopened) {
      throw new RestoreRefused(
        `${file} was sealed under another secret key (${unopened}); a backup from before a key rotation needs that rotation's old key file as the key file`,
      );
    }
  } finally {
    copy.close();
  }
}

/**
 * Puts `backupFile` in place of the database at `dbPath`. Refused while a server uses it, and for
 * a backup that is damaged, not ours, or made under another key. The replaced database (with its
 * write-ahead log) is moved aside, never deleted.
 */
export function restoreDatabase(backupFile: string, dbPath: string, keys: RestoreKeys, now: number): RestoreOutcome {
  const source = resolve(backupFile);
  const target = resolve(dbPath);
  const pid = runningServerPid(target);
  if (pid !== undefined) throw new RestoreRefused(`a server or worker (pid ${pid}) is using ${target}; stop it first`);
  checkBackup(source, keys);

  let previous: string | undefined;
  if (existsSync(target)) {
    previous = `${target}.replaced-${new Date(now).toISOString().replace(/[:.]/g, '-')}`;
    renameSync(target, previous);
    if (existsSync(`${target}-wal`)) renameSync(`${target}-wal`, `${previous}-wal`);
  }
  mkdirSync(dirname(target), { recursive: true });
  // A shared-memory index of the old log must not meet the new file.
  rmSync(`${target}-shm`, { force: true });
  copyFileSync(source, `${target}.restoring`);
  chmodSync(`${target}.restoring`, 0o600);
  renameSync(`${target}.restoring`, target);
  return { restored: target, previous };
}
