import { and, asc, eq, gt, inArray, lte, max, type SQL, sql } from 'drizzle-orm';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { bankEntries, banks, type SignalType } from '../db/schema/banks.ts';
import { PDQ_VARIANTS, type PdqVariant } from '../signals/pdq/dct.ts';
import { HammingIndex } from './match-index.ts';
import { packHex } from './packed-hash.ts';

/** The signals of one medium, as computeSignals gives them; any may be missing. */
export interface MatchableSignals {
  sha256?: string | null;
  sha1?: string | null;
  md5?: string | null;
  blockhash?: string | null;
  pdq?: string | null;
  pdqQuality?: number | null;
  /** The PDQ hashes of the eight rotations and flips, in the order of PDQ_VARIANTS (`original` first). */
  pdqVariants?: readonly string[] | null;
}

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

type PerceptualType = 'pdq' | 'blockhash';
const perceptualTypes: PerceptualType[] = ['pdq', 'blockhash'];
const exactTypes = ['sha256', 'sha1', 'md5'] as const;
const loadPageSize = 10_000;
// Well under SQLite's limit on bound parameters per statement.
const idsPerQuery = 1_000;

interface Candidate {
  type: PerceptualType;
  distance: number;
  variant: PdqVariant | null;
}

/**
 * Matches signals against the enabled entries of the enabled banks. Exact signals are looked up in
 * the database (by the unique index on type and value); perceptual ones are searched in in-memory
 * multi-indexes, loaded at construction and topped up on every match with the entries added since
 * (by this process or another: entry ids only grow). Every hit is confirmed against the database
 * before it is returned, so disabling or enabling an entry or a bank takes effect at once, from any
 * process; the indexes hold disabled entries too, and drop only entries deleted from the database.
 */
export class Matcher {
  private readonly indexes: Record<PerceptualType, HammingIndex> = {
    pdq: new HammingIndex(),
    blockhash: new HammingIndex(),
  };
  /** The highest entry id looked at so far. */
  private seenThrough = 0;

  constructor(
    private readonly db: Db,
    private readonly thresholds: Config['matching'],
  ) {
    this.refresh();
  }

  /** Indexes the perceptual entries added since the last look; one cheap query when there are none. */
  refresh(): void {
    const latest =
      this.db
        .select({ id: max(bankEntries.id) })
        .from(bankEntries)
        .get()?.id ?? 0;
    const words = new Uint32Array(8);
    while (this.seenThrough < latest) {
      // Every entry, disabled ones too: enabling one again must not need a rebuild. Whether an entry
      // (and its bank) is enabled is checked on every hit instead.
      const page = this.db
        .select({ id: bankEntries.id, signalType: bankEntries.signalType, value: bankEntries.value })
        .from(bankEntries)
        .where(
          and(
            gt(bankEntries.id, this.seenThrough),
            lte(bankEntries.id, latest),
            inArray(bankEntries.signalType, perceptualTypes),
          ),
        )
        .orderBy(asc(bankEntries.id))
        .limit(loadPageSize)
        .all();
      for (const entry of page) {
        this.indexes[entry.signalType as PerceptualType].add(entry.id, packHex(entry.value, words));
      }
      this.seenThrough = page.length < loadPageSize ? latest : page[page.length - 1]!.id;
    }
  }

  /** Every match of the signals, nearest first. */
  match(signals: MatchableSignals): BankMatch[] {
    this.refresh();
    const matches: BankMatch[] = [];
    for (const type of exactTypes) {
      const value = signals[type];
      if (!value) continue;
      const where = and(eq(bankEntries.signalType, type), eq(bankEntries.value, value));
      for (const { enabled, ...entry } of this.entries(where)) {
        if (enabled) matches.push({ ...entry, distance: 0, variant: null });
      }
    }
    const candidates = this.perceptualCandidates(signals);
    const ids = [...candidates.keys()];
    for (let i = 0; i < ids.length; i += idsPerQuery) {
      for (const { enabled, ...entry } of this.entries(inArray(bankEntries.id, ids.slice(i, i + idsPerQuery)))) {
        const { distance, variant } = candidates.get(entry.entryId)!;
        if (enabled) matches.push({ ...entry, distance, variant });
        candidates.delete(entry.entryId);
      }
    }
    // Entries gone from the database (those of a failed import): ids are never reused, so they can go.
    for (const [entryId, { type }] of candidates) this.indexes[type].remove(entryId);
    return matches.sort((a, b) => a.distance - b.distance || a.entryId - b.entryId);
  }

  /** Index hits by entry id; for PDQ, the nearest of the variants (the earliest on a tie). */
  private perceptualCandidates(signals: MatchableSignals): Map<number, Candidate> {
    const candidates = new Map<number, Candidate>();
    const search = (type: PerceptualType, hash: string, radius: number, variant: PdqVariant | null) => {
      for (const hit of this.indexes[type].query(packHex(hash), radius)) {
        const known = candidates.get(hit.id);
        if (!known || hit.distance < known.distance) candidates.set(hit.id, { type, distance: hit.distance, variant });
      }
    };
    if (signals.blockhash) search('blockhash', signals.blockhash, this.thresholds.blockhashThreshold, null);
    const quality = signals.pdqQuality;
    if (quality !== null && quality !== undefined && quality < this.thresholds.pdqMinQuality) return candidates;
    const variants = signals.pdqVariants ?? (signals.pdq ? [signals.pdq] : []);
    if (signals.pdqVariants && variants.length !== PDQ_VARIANTS.length) {
      throw new RangeError(`expected ${PDQ_VARIANTS.length} PDQ variants, got ${variants.length}`);
    }
    for (const [i, hash] of variants.entries()) search('pdq', hash, this.thresholds.pdqThreshold, PDQ_VARIANTS[i]!);
    return candidates;
  }

  /** The entries found, each with whether it matches now (it and its bank enabled). */
  private entries(where: SQL | undefined) {
    return this.db
      .select({
        enabled: sql<boolean>`${bankEntries.enabled} and ${banks.enabled}`.mapWith(Boolean),
        bank: banks.name,
        label: bankEntries.label,
        entryId: bankEntries.id,
        signalType: bankEntries.signalType,
        value: bankEntries.value,
      })
      .from(bankEntries)
      .innerJoin(banks, eq(banks.id, bankEntries.bankId))
      .where(where)
      .all();
  }
}
