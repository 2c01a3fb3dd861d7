import { z } from 'zod';
import { auditKey, userActor } from '../audit/chain.ts';
import { auditedTransaction, recordAuditEvent } from '../audit/record.ts';
import { setBankEnabled } from '../banks/commands.ts';
import { type BankSummary, findBank, listBanks } from '../banks/queries.ts';
import { NotFound } from '../errors.ts';
import type { ReviewDeps } from './claims.ts';

export const bankChangeSchema = z.strictObject({ enabled: z.boolean() });

/**
 * An admin disables a bank (its entries stop matching at once) or enables it again, as `bank
 * disable|enable` does, audited in the same transaction. Asking for the state it is in changes and
 * records nothing. Answers the bank with its counts.
 */
export function switchBank(deps: ReviewDeps, userId: number, name: string, enabled: boolean): BankSummary {
  const now = deps.now();
  return auditedTransaction(deps.db, (tx) => {
    const bank = findBank(tx, name);
    if (!bank) throw new NotFound('bank_not_found');
    if (bank.enabled !== enabled) {
      setBankEnabled(tx, name, enabled);
      recordAuditEvent(tx, auditKey(deps.config), {
        at: now,
        actor: userActor(userId),
        action: enabled ? 'bank.enable' : 'bank.disable',
        objectType: 'bank',
        objectId: name,
      });
    }
    const summary = listBanks(tx).find((b) => b.name === name);
    if (!summary) throw new NotFound('bank_not_found');
    return summary;
  });
}
