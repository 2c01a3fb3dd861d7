import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * The Ed25519 key that signs export packages. It is a file of its own beside the database (mode
 * 0600), not derived from the secret key: receivers pin its public key, and rotating the secret key
 * (which re-seals stored secrets) must not change what they verify against.
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
    const { privateKey } = generateKeyPairSync('ed25519');
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  }
  const privateKey = createPrivateKey(readFileSync(path));
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`${path}: not an Ed25519 private key`);
  return fromPrivate(privateKey);
}

function fromPrivate(privateKey: KeyObject): SigningKey {
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}
