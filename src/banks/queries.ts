import { asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { bankEntries, banks } from '../db/schema/banks.ts';

export interface BankSummary {
  id: number;
  name: string;
  source: string;
  description: string | null;
  enabled: boolean;
  createdAt: number;
  entries: number;
  enabledEntries: number;
}

export function findBank(db: DbOrTx, name: string): { id: number; source: string; enabled: boolean } | null {
  return (
    db
      .select({ id: banks.id, source: banks.source, enabled: banks.enabled })
      .from(banks)
      .where(eq(banks.name, name))
      .get() ?? null
  );
}

/** Every bank with its entry counts, by name. */
export function listBanks(db: DbOrTx): BankSummary[] {
  return db
    .select({
      id: banks.id,
      name: banks.name,
      source: banks.source,
      description: banks.description,
      enabled: banks.enabled,
      createdAt: banks.createdAt,
      entries: sql<number>`count(${bankEntries.id})`,
      enabledEntries: sql<number>`coalesce(sum(${bankEntries.enabled}), 0)`,
    })
    .from(banks)
    .leftJoin(bankEntries, eq(bankEntries.bankId, banks.id))
    .groupBy(banks.id)
    .orderBy(asc(banks.name))
    .all();
}
