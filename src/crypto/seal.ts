import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

// Authenticated encryption for small secrets kept at rest (TOTP secrets, contact addresses).
// Format: base64 of iv (12 bytes) | GCM tag (16 bytes) | ciphertext. The place the value is stored
// (table, column, row id) is bound in as associated data: a sealed value copied to another row or
// column does not open there, so nobody with write access to the database can move a secret.

const ivLength = 12;
const tagLength = 16;

/**
 * A 32-byte key for one purpose, derived from the root secret key with HKDF-SHA-256. Each purpose
 * gets its own key, so a value sealed for one use cannot be opened (or forged) for another.
 */
export function deriveKey(secretKey: Buffer, purpose: string): Buffer {
  if (secretKey.length < 32) throw new Error('the secret key must be at least 32 bytes');
  if (!purpose) throw new Error('a key purpose is required');
  return Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), `hotline:${purpose}`, 32));
}

/** Where a sealed value is stored; it opens only there. */
export interface SealedPlace {
  table: string;
  column: string;
  rowId: number;
}

function associatedData({ table, column, rowId }: SealedPlace): Buffer {
  if (!table || !column || !Number.isSafeInteger(rowId))
    throw new Error('a sealed value needs its table, column and row id');
  // NUL cannot occur in an SQL identifier or a number: the three parts cannot run into each other.
  return Buffer.from(`${table}\0${column}\0${rowId}`, 'utf8');
}

/** Encrypts a UTF-8 string with AES-256-GCM under a fresh random IV, bound to the place it is stored. */
export function seal(key: Buffer, plaintext: string, place: SealedPlace): string {
  const iv = randomBytes(ivLength);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: tagLength });
  cipher.setAAD(associatedData(place));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64');
}

/** Decrypts what `seal` produced; throws when the key or the place is wrong or the value was altered. */
export function open(key: Buffer, sealed: string, place: SealedPlace): string {
  const bytes = Buffer.from(sealed, 'base64');
  if (bytes.length < ivLength + tagLength) throw new Error('sealed value is too short');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, ivLength), { authTagLength: tagLength });
  decipher.setAAD(associatedData(place));
  decipher.setAuthTag(bytes.subarray(ivLength, ivLength + tagLength));
  return Buffer.concat([decipher.update(bytes.subarray(ivLength + tagLength)), decipher.final()]).toString('utf8');
}
