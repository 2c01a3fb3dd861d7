import type { FetchErrorReason } from '../fetcher/errors.ts';
import type { BankMatch } from '../matching/matcher.ts';
import { type LegalStatus, parseLabel } from '../taxonomy/taxonomy.ts';

export interface Suggestion {
  label: string;
  bankEntryId: number;
}

/** What the decision looks at: the whole inspection, not only the media that were fetched. */
export interface KnownContentEvidence {
  error: FetchErrorReason | null;
  skipped: readonly unknown[];
  media: readonly {
    refusal: string | null;
    signals: { pdqQuality: number | null };
    matches: readonly BankMatch[];
  }[];
}

/**
 * A PDQ match strong enough to stand for an analyst's look: near (Meta's recommended match
 * distance is up to 31; a third of it leaves no doubt) on a hash of a detailed image.
 */
const strongPdqDistance = 10;
const strongPdqQuality = 80;
const exactSignals: ReadonlySet<string> = new Set(['sha256', 'sha1', 'md5']);
const gravity: Record<LegalStatus, number> = { baseline: 3, national: 2, not_illegal: 1 };

/**
 * An item whose every medium is a picture our own analysts assessed and confirmed need not be
 * viewed again: suggest the gravest of those assessments. Null (an analyst must look) when the
 * item is incomplete (unreachable, a medium skipped), when any medium lacks a strong match (exact
 * hash, or near PDQ of good quality on a decoded image; blockhash never suffices) in one of
 * `ownBanks` (the banks whose source is `own`), or when the gravest is `not_illegal`: clearing an
 * item without a look takes more than a hash.
 */
export function suggestKnownAssessment(
  evidence: KnownContentEvidence,
  ownBanks: ReadonlySet<string>,
): Suggestion | null {
  if (evidence.error !== null || evidence.skipped.length > 0 || evidence.media.length === 0) return null;
  let best: { suggestion: Suggestion; gravity: number } | null = null;
  for (const medium of evidence.media) {
    // A medium that was not decoded (too large, corrupt) has no perceptual hash to trust: only an
    // exact hash can vouch for it.
    const strong = (match: BankMatch) =>
      exactSignals.has(match.signalType) ||
      (medium.refusal === null &&
        match.signalType === 'pdq' &&
        match.distance <= strongPdqDistance &&
        (medium.signals.pdqQuality ?? 0) >= strongPdqQuality);
    const own = medium.matches
      .filter((match) => ownBanks.has(match.bank) && strong(match))
      .map((match) => ({ match, status: parseLabel(match.label)?.legalStatus ?? null }))
      .filter((m): m is { match: BankMatch; status: LegalStatus } => m.status !== null);
    if (own.length === 0) return null;
    for (const { match, status } of own) {
      if (!best || gravity[status] > best.gravity) {
        best = { suggestion: { label: match.label, bankEntryId: match.entryId }, gravity: gravity[status] };
      }
    }
  }
  return best && best.gravity > gravity.not_illegal ? best.suggestion : null;
}
