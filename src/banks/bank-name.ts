/**
 * What a bank may be called: 1 to 64 lowercase letters, digits, `.`, `_` and `-`, starting with a
 * letter or digit (`ncmec`, `iwf-2026`, `hotline.be`). Names are typed on command lines, shown in
 * match lists and written into exports: no spaces, no quotes, no case to get wrong.
 */
export const bankNamePattern = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export class BankNameError extends Error {
  constructor(readonly bankName: string) {
    super(
      `bad bank name ${JSON.stringify(bankName)}: 1 to 64 lowercase letters, digits, ".", "_" or "-", starting with a letter or digit`,
    );
  }
}

/** Throws BankNameError unless `name` is a good bank name. */
export function checkBankName(name: string): void {
  if (!bankNamePattern.test(name)) throw new BankNameError(name);
}
