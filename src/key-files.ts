import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

// The key files beside the database, made on first start (mode 0600) and read afterwards. The only
// files the hotline writes besides the database itself and an operator's backups and exports.

/** Writes `content` to a new owner-only file; never replaces an existing one. */
function createKeyFile(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeFileSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function secretKeyPath(dbPath: string): string {
  return dbPath === ':memory:' ? resolve('data/hotline.key') : `${resolve(dbPath)}.key`;
}

/** The 32-byte secret key from its file, made on first use; an error names a damaged file. */
export function readOrCreateSecretKey(dbPath: string): Buffer {
  const path = secretKeyPath(dbPath);
  if (!existsSync(path)) {
    const key = randomBytes(32);
    writeKeyFile(path, key);
    return key;
  }
  return readKeyFile(path);
}

/** A 32-byte key as a new owner-only file of 64 hex characters, synced to disk before it returns. */
export function writeKeyFile(path: string, key: Buffer): void {
  createKeyFile(path, `${key.toString('hex')}\n`);
}

export function readKeyFile(path: string): Buffer {
  const hex = readFileSync(path, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error(`${path}: not a 64-character hex key`);
  return Buffer.from(hex, 'hex');
}

/**
 * The root of the keyed hashes the database keeps and nobody can recompute: the audit chain, the
 * receipt hashes, each report's status delay. Rotating the secret key cannot re-key them (a
 * receipt is known only to its reporter; a re-keyed chain would no longer match its anchors), so
 * the first `hotline key rotate` keeps the key they were made under in this file. Until then there
 * is no file and they derive from the secret key itself.
 */
export function hashKeyPath(dbPath: string): string {
  return `${resolve(dbPath)}.hash.key`;
}

export function readHashKey(dbPath: string): Buffer | undefined {
  if (dbPath === ':memory:') return undefined;
  const path = hashKeyPath(dbPath);
  return existsSync(path) ? readKeyFile(path) : undefined;
}

/**
 * The Ed25519 key that signs export packages. It is a file of its own, not derived from the secret
 * key: receivers pin its public key, and rotating the secret key (which re-seals stored secrets)
 * must not change what they verify against.
 */
export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The public key as PEM (SPKI), what `hotline export pubkey` prints. */
  publicPem: string;
}

export function signingKeyPath(dbPath: string): string {
  return `${resolve(dbPath)}.export-ed25519.pem`;
}

/** Loads the package signing key, making it on first use; a database in memory gets one in memory. */
export function loadSigningKey(dbPath: string): SigningKey {
  if (dbPath === ':memory:') return fromPrivate(generateKeyPairSync('ed25519').privateKey);
  const path = signingKeyPath(dbPath);
  if (!existsSync(path)) {
    createKeyFile(path, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  }
  const privateKey = createPrivateKey(readFileSync(path));
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`${path}: not an Ed25519 private key`);
  return fromPrivate(privateKey);
}

function fromPrivate(privateKey: KeyObject): SigningKey {
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}
