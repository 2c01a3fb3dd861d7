import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, openSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { auditKey } from '../audit/chain.ts';
import { auditedTransaction, recordAuditEvent } from '../audit/record.ts';
import { verifyAuditChain } from '../audit/verify.ts';
import { runningServerPid } from '../backup/server-pid.ts';
import type { Config } from '../config.ts';
import { secretsEqual } from '../crypto/constant-time.ts';
import type { Db } from '../db/client.ts';
import { hashKeyPath, readKeyFile, secretKeyPath, writeKeyFile } from '../key-files.ts';
import { type ResealCounts, resealAll } from './reseal.ts';

/** Why a rotation did not happen; nothing was changed. */
export class RotationRefused extends Error {}

export interface RotationOutcome {
  /** The secret key file, now holding the new key. */
  keyFile: string;
  /** The old key, kept: backups made before the rotation open only with it. */
  oldKeyBackup: string;
  /** Where the key of the audit chain and receipt hashes is (made by this rotation when `hashKeyCreated`). */
  hashKeyFile: string;
  hashKeyCreated: boolean;
  resealed: ResealCounts;
  /** The `key.rotate` audit event. */
  auditSeq: number;
}

/** `<key file>.new` holds the new key while the database is re-sealed; `.old-<time>` the old one after. */
export const pendingKeyPath = (dbPath: string) => `${secretKeyPath(dbPath)}.new`;

/**
 * Replaces the secret key: a new random key, every sealed value re-sealed under it in one
 * transaction (with its `key.rotate` audit event), the old key file kept beside it. The keyed
 * hashes (audit chain, receipts, status delays) stay under the hash key, which the first rotation
 * writes to its own file with the key they were made under: the chain keeps verifying, receipts
 * keep resolving.
 *
 * Refused while a server runs on the database (it holds the old key in memory and would seal new
 * contacts under it), when the key does not come from the key file, when the audit chain does not
 * verify, and after an interrupted rotation. The new key reaches the disk before the database
 * commits, so no committed state ever depends on a key that is not on disk.
 */
export function rotateSecretKey(config: Config, db: Db, now: number): RotationOutcome {
  const keyFile = secretKeyPath(config.dbPath);
  const pending = pendingKeyPath(config.dbPath);
  refuseUnlessSafe(config, db, keyFile, pending);

  const hashKeyFile = hashKeyPath(config.dbPath);
  const hashKeyCreated = !existsSync(hashKeyFile);
  if (hashKeyCreated) writeKeyFile(hashKeyFile, config.hashKey);

  const newKey = randomBytes(32);
  writeKeyFile(pending, newKey);
  let resealed: ResealCounts;
  let auditSeq: number;
  try {
    ({ resealed, auditSeq } = auditedTransaction(db, (tx) => {
      const counts = resealAll(tx, config.secretKey, newKey);
      const event = recordAuditEvent(tx, auditKey(config), {
        at: now,
        actor: 'system',
        action: 'key.rotate',
        objectType: 'secret_key',
        details: { ...counts },
      });
      return { resealed: counts, auditSeq: event.seq };
    }));
  } catch (error) {
    rmSync(pending, { force: true });
    if (hashKeyCreated) rmSync(hashKeyFile, { force: true });
    throw error;
  }

  const oldKeyBackup = `${keyFile}.old-${new Date(now).toISOString().replace(/[:.]/g, '-')}`;
  linkSync(keyFile, oldKeyBackup);
  renameSync(pending, keyFile);
  syncDirectory(dirname(keyFile));
  return { keyFile, oldKeyBackup, hashKeyFile, hashKeyCreated, resealed, auditSeq };
}

function refuseUnlessSafe(config: Config, db: Db, keyFile: string, pending: string): void {
  if (config.dbPath === ':memory:') throw new RotationRefused('a database in memory has no key file to rotate');
  const pid = runningServerPid(config.dbPath);
  if (pid !== undefined) throw new RotationRefused(`a server (pid ${pid}) is using ${config.dbPath}; stop it first`);
  if (existsSync(pending)) {
    throw new RotationRefused(
      `${pending} exists: an earlier rotation was interrupted. If the database holds its key.rotate event, the new key is that file: move it to ${keyFile} (keep the old one); else delete it`,
    );
  }
  if (!existsSync(keyFile) || !secretsEqual(readKeyFile(keyFile).toString('hex'), config.secretKey.toString('hex'))) {
    throw new RotationRefused(
      `the secret key in use is not the one in ${keyFile} (HOTLINE_SECRET_KEY is set?): rotate only a key kept in its file`,
    );
  }
  const verdict = db.transaction((tx) => verifyAuditChain(tx, auditKey(config)));
  if (!verdict.ok) {
    throw new RotationRefused(
      `the audit chain is broken at event ${verdict.brokenAt} (${verdict.reason}); verify it first`,
    );
  }
}

/** A rename is durable only once its directory is. */
function syncDirectory(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
