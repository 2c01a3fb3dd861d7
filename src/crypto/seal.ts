import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

// Authenticated encryption for small secrets kept at rest (TOTP secrets, contact addresses).
// Format: base64 of iv (12 bytes) | GCM tag (16 bytes) | ciphertext.

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

/** Encrypts a UTF-8 string with AES-256-GCM under a fresh random IV. */
export function seal(key: Buffer, plaintext: string): string {
  const iv = randomBytes(ivLength);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: tagLength });
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64');
}

/** Decrypts what `seal` produced; throws when the key is wrong or the value was altered. */
export function open(key: Buffer, sealed: string): string {
  const bytes = Buffer.from(sealed, 'base64');
  if (bytes.length < ivLength + tagLength) throw new Error('sealed value is too short');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, ivLength), { authTagLength: tagLength });
  decipher.setAuthTag(bytes.subarray(ivLength, ivLength + tagLength));
  return Buffer.concat([decipher.update(bytes.subarray(ivLength + tagLength)), decipher.final()]).toString('utf8');
}
