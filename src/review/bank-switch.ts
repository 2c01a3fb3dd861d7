import { z } from 'zod';
import { type AuditActor, auditKey } from '../audit/chain.ts';
import { auditedTransaction, recordAuditEvent } from '../audit/record.ts';
import { createBank, type NewBank, setBankEnabled, setBankEntryEnabled } from '../banks/commands.ts';
import { type BankSummary, findBank, listBanks } from '../banks/queries.ts';
import { NotFound } from '../errors.ts';
import type { ReviewDeps } from './claims.ts';

// The bank commands of admins and operators (the API and `hotline bank`), each audited in its transaction.

export const bankChangeSchema = z.strictObject({ enabled: z.boolean() });

/**
 * Disables a bank (its entries stop matching at once) or enables it again. Asking for the state it
 * is in changes and records nothing. Answers the bank with its counts; 404 `bank_not_found`.
 */
export function switchBank(deps: ReviewDeps, actor: AuditActor, name: string, enabled: boolean): BankSummary {
  const now = deps.now();
  return auditedTransaction(deps.db, (tx) => {
    const bank = findBank(tx, name);
    if (!bank) throw new NotFound('bank_not_found');
    if (bank.enabled !== enabled) {
      setBankEnabled(tx, name, enabled);
      recordAuditEvent(tx, auditKey(deps.config), {
        at: now,
        actor,
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

/** Disables one entry (a false positive) or enables it again; 404 `bank_entry_not_found` (or its import is not done). */
export function switchBankEntry(deps: ReviewDeps, actor: AuditActor, entryId: number, enabled: boolean): void {
  const now = deps.now();
  auditedTransaction(deps.db, (tx) => {
    if (!setBankEntryEnabled(tx, entryId, enabled)) throw new NotFound('bank_entry_not_found');
    recordAuditEvent(tx, auditKey(deps.config), {
      at: now,
      actor,
      action: enabled ? 'bank.entry_enable' : 'bank.entry_disable',
      objectType: 'bank_entry',
      objectId: entryId,
    });
  });
}

/** Creates an empty bank (`hotline bank create`); throws BankNameError for a bad or taken name. */
export function createAuditedBank(deps: ReviewDeps, actor: AuditActor, bank: NewBank): void {
  const now = deps.now();
  auditedTransaction(deps.db, (tx) => {
    createBank(tx, bank, now);
    recordAuditEvent(tx, auditKey(deps.config), {
      at: now,
      actor,
      action: 'bank.create',
      objectType: 'bank',
      objectId: bank.name,
    });
  });
}
