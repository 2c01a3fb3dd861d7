import { eq, isNotNull } from 'drizzle-orm';
import { totpSecretKey, totpSecretPlace } from '../auth/users.ts';
import { open, type SealedPlace, seal } from '../crypto/seal.ts';
import type { DbOrTx, Tx } from '../db/client.ts';
import { users } from '../db/schema/auth.ts';
import { reports, usedFormTokens } from '../db/schema/intake.ts';
import { contactPlace } from '../intake/store-report.ts';
import { deriveIntakeKeys } from '../intake/submit-report.ts';

/** How many values a rotation re-sealed, per column, and how many used form tokens it forgot. */
export interface ResealCounts {
  contacts: number;
  totpSecrets: number;
  formTokensForgotten: number;
}

/**
 * Every value sealed under a key derived from the secret key (src/crypto/seal.ts `seal(` callers):
 * the column, its rows, the key of its purpose and the place it is bound to. A new sealed column
 * gets an entry here, or a rotation would leave it unreadable (tests/key-rotation pins the list).
 */
interface SealedColumn {
  name: keyof Omit<ResealCounts, 'formTokensForgotten'>;
  key: (secretKey: Buffer) => Buffer;
  place: (rowId: number) => SealedPlace;
  rows: (db: DbOrTx) => { id: number; sealed: string | null }[];
  store: (tx: Tx, id: number, sealed: string) => void;
}

const sealedColumns: readonly SealedColumn[] = [
  {
    name: 'contacts',
    key: (secretKey) => deriveIntakeKeys(secretKey).contact,
    place: contactPlace,
    rows: (tx) =>
      tx
        .select({ id: reports.id, sealed: reports.contactCiphertext })
        .from(reports)
        .where(isNotNull(reports.contactCiphertext))
        .all(),
    store: (tx, id, sealed) => tx.update(reports).set({ contactCiphertext: sealed }).where(eq(reports.id, id)).run(),
  },
  {
    name: 'totpSecrets',
    key: (secretKey) => totpSecretKey({ config: { secretKey } }),
    place: totpSecretPlace,
    rows: (tx) => tx.select({ id: users.id, sealed: users.totpSecretSealed }).from(users).all(),
    store: (tx, id, sealed) => tx.update(users).set({ totpSecretSealed: sealed }).where(eq(users.id, id)).run(),
  },
];

/** Where a value that does not open under `secretKey` is (`contacts: row 12`), or undefined when all open. */
export function unopenedSealedValue(db: DbOrTx, secretKey: Buffer): string | undefined {
  for (const column of sealedColumns) {
    const key = column.key(secretKey);
    for (const { id, sealed } of column.rows(db)) {
      if (sealed !== null && opened(key, sealed, column.place(id)) === undefined) return `${column.name}: row ${id}`;
    }
  }
  return undefined;
}

function opened(key: Buffer, sealed: string, place: SealedPlace): string | undefined {
  try {
    return open(key, sealed, place);
  } catch {
    return undefined;
  }
}

/**
 * Opens every sealed value with the old secret key and seals it again, in the same place, under
 * the new one; run it in one transaction. A value that does not open under the old key stops the
 * whole rotation (nothing is written): it would be lost for good under the new key.
 *
 * Used form tokens are forgotten instead: the tokens were signed under the old key and are refused
 * after the rotation anyway, and the receipts sealed in their rows (for ten minutes) are sealed
 * under a key made from the token, which is not stored.
 */
export function resealAll(tx: Tx, oldSecretKey: Buffer, newSecretKey: Buffer): ResealCounts {
  const counts: ResealCounts = { contacts: 0, totpSecrets: 0, formTokensForgotten: 0 };
  for (const column of sealedColumns) {
    const [oldKey, newKey] = [column.key(oldSecretKey), column.key(newSecretKey)];
    for (const { id, sealed } of column.rows(tx)) {
      if (sealed === null) continue;
      const plaintext = opened(oldKey, sealed, column.place(id));
      if (plaintext === undefined) {
        throw new ResealFailed(`${column.name}: the value in row ${id} does not open under the current secret key`);
      }
      column.store(tx, id, seal(newKey, plaintext, column.place(id)));
      counts[column.name] += 1;
    }
  }
  counts.formTokensForgotten = tx.delete(usedFormTokens).run().changes;
  return counts;
}

export class ResealFailed extends Error {}
