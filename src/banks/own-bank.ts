/**
 * Our own confirmed assessments feed one reserved bank. Only the review domain writes to it: partner
 * lists are never imported into it, so a match in it always means an analyst of ours confirmed the
 * content. createBank gives the source from the name (the bank named `hotline`, and no other, has
 * source `own`).
 */
export const OWN_BANK_NAME = 'hotline';
export const OWN_BANK_SOURCE = 'own';

export function isOwnBank(name: string): boolean {
  return name === OWN_BANK_NAME;
}

/** The source of a new bank, however created: `own` for the reserved bank, else `partner` (filled by imports). */
export function sourceOfNewBank(name: string): string {
  return isOwnBank(name) ? OWN_BANK_SOURCE : 'partner';
}

export class OwnBankImportError extends Error {
  constructor() {
    super(`bank ${OWN_BANK_NAME} holds our own confirmed assessments: partner lists cannot be imported into it`);
  }
}
