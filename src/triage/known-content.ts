import { type LegalStatus, parseLabel } from '../review/taxonomy.ts';
import type { BankMatch } from './matcher.ts';

/** Our own bank: every entry in it is an assessment an analyst made and a supervisor confirmed. */
export const hotlineBank = 'hotline';

export interface Suggestion {
  label: string;
  bankEntryId: number;
}

const gravity: Record<LegalStatus, number> = { baseline: 3, national: 2, not_illegal: 1 };

/**
 * When every medium matched a confirmed entry of the hotline bank, the item was assessed before
 * and need not be viewed again: suggest the gravest of those assessments. Null otherwise (no
 * media, or one medium nobody has assessed yet).
 */
export function suggestKnownAssessment(media: readonly { matches: readonly BankMatch[] }[]): Suggestion | null {
  if (media.length === 0) return null;
  let best: { suggestion: Suggestion; gravity: number } | null = null;
  for (const medium of media) {
    const own = medium.matches
      .map((match) => ({ match, status: parseLabel(match.label)?.legalStatus ?? null }))
      .filter((m): m is { match: BankMatch; status: LegalStatus } => m.match.bank === hotlineBank && m.status !== null);
    if (own.length === 0) return null;
    for (const { match, status } of own) {
      if (!best || gravity[status] > best.gravity) {
        best = { suggestion: { label: match.label, bankEntryId: match.entryId }, gravity: gravity[status] };
      }
    }
  }
  return best?.suggestion ?? null;
}
