import { and, asc, eq, gt, inArray, lte, max, sql } from 'drizzle-orm';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { preparedOnce } from '../db/prepared.ts';
import { bankEntries, banks } from '../db/schema/banks.ts';
import { PDQ_VARIANTS, type PdqVariant } from '../signals/pdq/dct.ts';
import {
  exactSignalTypes,
  type PerceptualSignalTypeName,
  perceptualSignalTypes,
  type SignalType,
} from '../signals/types/index.ts';
import { CatchUpIndex, type CatchUpSource } from './catch-up-index.ts';

/** The signals of one medium, as computeSignals gives them; any may be missing. */
export type MatchableSignals = Partial<Record<SignalType, string | null>> & {
  pdqQuality?: number | null;
  /** The PDQ hashes of the eight rotations and flips, in the order of PDQ_VARIANTS (`original` first). */
  pdqVariants?: readonly string[] | null;
};

export interface BankMatch {
  bank: string;
  label: string;
  entryId: number;
  signalType: SignalType;
  /** The bank entry's value. */
  value: string;
  distance: number;
  /** For PDQ, which rotation or flip of the queried image matched; null for other signals. */
  variant: PdqVariant | null;
}

const perceptualNames = perceptualSignalTypes.map((type) => type.name);

interface Candidate {
  type: PerceptualSignalTypeName;
  distance: number;
  variant: PdqVariant | null;
}

// Prepared once per connection: every match runs them (see preparedOnce).
const latestEntryId = preparedOnce((db) =>
  db
    .select({ id: max(bankEntries.id) })
    .from(bankEntries)
    .prepare(),
);
const perceptualEntriesBetween = preparedOnce((db) =>
  db
    .select({ id: bankEntries.id, signalType: bankEntries.signalType, value: bankEntries.value })
    .from(bankEntries)
    .where(
      and(
        gt(bankEntries.id, sql.placeholder('after')),
        lte(bankEntries.id, sql.placeholder('through')),
        inArray(bankEntries.signalType, perceptualNames),
      ),
    )
    .orderBy(asc(bankEntries.id))
    .limit(sql.placeholder('limit'))
    .prepare(),
);

/** The perceptual entries of every bank, disabled ones too: enabling one again must not need a rebuild. */
const bankEntrySource: CatchUpSource = {
  latestId: (db) => latestEntryId(db).get()?.id ?? 0,
  rowsBetween: (db, after, through, limit) =>
    perceptualEntriesBetween(db)
      .all({ after, through, limit })
      .map((entry) => ({ id: entry.id, hashes: { [entry.signalType]: entry.value } })),
};

/** An entry found, with whether it matches now (it and its bank enabled). */
const entryColumns = {
  enabled: sql<boolean>`${bankEntries.enabled} and ${banks.enabled}`.mapWith(Boolean),
  bank: banks.name,
  label: bankEntries.label,
  entryId: bankEntries.id,
  signalType: bankEntries.signalType,
  value: bankEntries.value,
};
const entriesWithValue = preparedOnce((db) =>
  db
    .select(entryColumns)
    .from(bankEntries)
    .innerJoin(banks, eq(banks.id, bankEntries.bankId))
    .where(
      and(eq(bankEntries.signalType, sql.placeholder('signalType')), eq(bankEntries.value, sql.placeholder('value'))),
    )
    .prepare(),
);
/** The ids go in as one JSON array (json_each), so that one statement serves any number of them. */
const entriesWithIds = preparedOnce((db) =>
  db
    .select(entryColumns)
    .from(bankEntries)
    .innerJoin(banks, eq(banks.id, bankEntries.bankId))
    .where(sql`${bankEntries.id} in (select value from json_each(${sql.placeholder('ids')}))`)
    .prepare(),
);

/**
 * Matches signals against the enabled entries of the enabled banks. Exact signals are looked up in
 * the database (by the unique index on type and value); perceptual ones are searched in in-memory
 * multi-indexes, loaded at construction and topped up on every match with the entries added since
 * (by this process or another: entry ids only grow). Every hit is confirmed against the database
 * before it is returned, so disabling or enabling an entry or a bank takes effect at once, from any
 * process; the indexes hold disabled entries too, and drop only entries deleted from the database.
 * It reads outside transactions (it may rebuild its indexes): call it before writing the result.
 */
export class Matcher {
  private readonly index = new CatchUpIndex(bankEntrySource);

  constructor(
    private readonly db: Db,
    private readonly settings: Config['matching'],
  ) {
    this.index.refresh(db);
  }

  /** Every match of the signals, nearest first; perceptual ones within `thresholds` (by default the configured ones). */
  match(
    signals: MatchableSignals,
    thresholds: Config['matching']['thresholds'] = this.settings.thresholds,
  ): BankMatch[] {
    this.index.refresh(this.db);
    const matches: BankMatch[] = [];
    for (const { name } of exactSignalTypes) {
      const value = signals[name];
      if (!value) continue;
      for (const { enabled, ...entry } of entriesWithValue(this.db).all({ signalType: name, value })) {
        if (enabled) matches.push({ ...entry, distance: 0, variant: null });
      }
    }
    const candidates = this.perceptualCandidates(signals, thresholds);
    if (candidates.size > 0) {
      const ids = JSON.stringify([...candidates.keys()]);
      for (const { enabled, ...entry } of entriesWithIds(this.db).all({ ids })) {
        const candidate = candidates.get(entry.entryId);
        if (enabled && candidate) matches.push({ ...entry, distance: candidate.distance, variant: candidate.variant });
        candidates.delete(entry.entryId);
      }
    }
    // Entries gone from the database (those of a failed import): ids are never reused, so they can go.
    for (const [entryId, { type }] of candidates) this.index.remove(type, entryId);
    return matches.sort((a, b) => a.distance - b.distance || a.entryId - b.entryId);
  }

  /** Index hits by entry id; for PDQ, the nearest of the variants (the earliest on a tie). */
  private perceptualCandidates(
    signals: MatchableSignals,
    thresholds: Config['matching']['thresholds'],
  ): Map<number, Candidate> {
    const candidates = new Map<number, Candidate>();
    const search = (type: PerceptualSignalTypeName, hash: string, variant: PdqVariant | null) => {
      for (const hit of this.index.query(type, hash, thresholds[type])) {
        const known = candidates.get(hit.id);
        if (!known || hit.distance < known.distance) candidates.set(hit.id, { type, distance: hit.distance, variant });
      }
    };
    if (signals.blockhash) search('blockhash', signals.blockhash, null);
    const quality = signals.pdqQuality;
    if (quality !== null && quality !== undefined && quality < this.settings.pdqMinQuality) return candidates;
    const variants = signals.pdqVariants ?? (signals.pdq ? [signals.pdq] : []);
    if (signals.pdqVariants && variants.length !== PDQ_VARIANTS.length) {
      throw new RangeError(`expected ${PDQ_VARIANTS.length} PDQ variants, got ${variants.length}`);
    }
    for (const [i, hash] of variants.entries()) search('pdq', hash, PDQ_VARIANTS[i] ?? null);
    return candidates;
  }
}
