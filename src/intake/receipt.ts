import { createHmac, randomBytes } from 'node:crypto';

// Crockford's base32: no I, L, O or U, so a receipt read aloud or copied by hand survives.
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const receiptSymbols = 24; // 24 x 5 = 120 bits of randomness
const groupSize = 4;
const groups = new RegExp(`.{${groupSize}}`, 'g');

/** A new receipt: 120 random bits as six groups of four Crockford base32 symbols. */
export function generateReceipt(): string {
  const bytes = randomBytes(receiptSymbols); // one byte per symbol, 5 bits of each used: no modulo bias
  let symbols = '';
  for (const byte of bytes) symbols += alphabet[byte & 31];
  return symbols.match(groups)?.join('-') ?? symbols;
}

/**
 * The canonical spelling of what a reporter typed: case, spaces and dashes ignored, and the
 * letters people confuse with digits read as those digits. Returns undefined when it cannot be a receipt.
 */
export function normaliseReceipt(input: string): string | undefined {
  const compact = input.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  if (compact.length !== receiptSymbols) return undefined;
  for (const symbol of compact) if (!alphabet.includes(symbol)) return undefined;
  return compact;
}

/** What is stored: a keyed hash. At 120 bits of entropy a slow hash adds nothing. */
export function hashReceipt(receiptKey: Buffer, normalisedReceipt: string): string {
  return createHmac('sha256', receiptKey).update(normalisedReceipt).digest('hex');
}
