import { describe, expect, it } from 'vitest';
import type { SignalType } from '../../src/db/schema/banks.ts';
import type { BankMatch } from '../../src/matching/matcher.ts';
import { type KnownContentEvidence, suggestKnownAssessment } from '../../src/triage/known-content.ts';

const own = new Set(['hotline']);
let nextId = 1;
const match = (
  label: string,
  options: { bank?: string; signalType?: SignalType; distance?: number } = {},
): BankMatch => ({
  bank: options.bank ?? 'hotline',
  label,
  entryId: nextId++,
  signalType: options.signalType ?? 'sha256',
  value: '0'.repeat(64),
  distance: options.distance ?? 0,
  variant: null,
});
type Medium = KnownContentEvidence['media'][number];
const medium = (matches: BankMatch[], extra: Partial<Medium> = {}): Medium => ({
  refusal: null,
  signals: { pdqQuality: 100 },
  matches,
  ...extra,
});
const evidence = (media: Medium[], extra: Partial<KnownContentEvidence> = {}): KnownContentEvidence => ({
  error: null,
  skipped: [],
  media,
  ...extra,
});
const suggest = (e: KnownContentEvidence, banks: ReadonlySet<string> = own) => suggestKnownAssessment(e, banks);

describe('suggestKnownAssessment', () => {
  it('suggests the assessment when every medium matched our own bank exactly', () => {
    const first = match('national/real_abuse');
    const result = suggest(evidence([medium([first]), medium([match('national', { signalType: 'md5' })])]));
    expect(result).toEqual({ label: 'national/real_abuse', bankEntryId: first.entryId });
    expect(suggest(evidence([medium([match('national', { signalType: 'sha1' })])]))).not.toBeNull();
  });

  it('takes the gravest of the labels', () => {
    const baseline = match('baseline/real_abuse');
    const media = [medium([match('not_illegal')]), medium([match('national'), baseline])];
    expect(suggest(evidence(media))).toEqual({ label: 'baseline/real_abuse', bankEntryId: baseline.entryId });
  });

  it('never clears an item unseen: only not_illegal matches are no suggestion', () => {
    expect(suggest(evidence([medium([match('not_illegal')]), medium([match('not_illegal/other')])]))).toBeNull();
  });

  it('needs the whole item: a skipped medium, an unmatched or undecoded one, or an unreachable address means an analyst looks', () => {
    const matched = () => medium([match('national/real_abuse')]);
    expect(suggest(evidence([matched()]))).not.toBeNull();
    // One medium matched and nine could not be fetched: the nine may be anything.
    const nineFailed = Array.from({ length: 9 }, (_, i) => ({ url: `http://x.test/${i}`, reason: 'timeout' }));
    expect(suggest(evidence([matched()], { skipped: nineFailed }))).toBeNull();
    // A medium that was not decoded is vouched for by an exact hash only.
    expect(suggest(evidence([matched(), medium([match('national')], { refusal: 'too_large' })]))).not.toBeNull();
    const undecodedNearPdq = medium([match('national', { signalType: 'pdq', distance: 0 })], {
      refusal: 'too_many_pixels',
    });
    expect(suggest(evidence([matched(), undecodedNearPdq]))).toBeNull();
    expect(suggest(evidence([matched(), medium([], { refusal: 'corrupt' })]))).toBeNull();
    expect(suggest(evidence([matched()], { error: 'timeout' }))).toBeNull();
    expect(suggest(evidence([matched(), medium([])]))).toBeNull();
    expect(suggest(evidence([]))).toBeNull();
  });

  // Literal values on purpose: a changed constant in the safety rule must fail here, not follow along.
  it('counts a PDQ match only at distance <= 10 and quality >= 80; blockhash never', () => {
    const pdq = (distance: number, quality: number, extra: Partial<Medium> = {}) =>
      evidence([
        medium([match('national', { signalType: 'pdq', distance })], { signals: { pdqQuality: quality }, ...extra }),
      ]);
    expect(suggest(pdq(10, 80))).not.toBeNull();
    expect(suggest(pdq(0, 100))).not.toBeNull();
    expect(suggest(pdq(11, 100))).toBeNull();
    expect(suggest(pdq(31, 100))).toBeNull();
    expect(suggest(pdq(0, 79))).toBeNull();
    expect(suggest(pdq(10, 80), new Set(['partner']))).toBeNull();
    expect(suggest(pdq(0, 100, { refusal: 'too_large' }))).toBeNull();
    expect(suggest(evidence([medium([match('national', { signalType: 'blockhash', distance: 0 })])]))).toBeNull();
    expect(suggest(evidence([medium([match('national', { signalType: 'blockhash', distance: 10 })])]))).toBeNull();
  });

  it('only banks whose source is own count, whatever their name; labels need a legal status', () => {
    expect(suggest(evidence([medium([match('national/real_abuse', { bank: 'partner' })])]))).toBeNull();
    expect(suggest(evidence([medium([match('national/real_abuse')])]), new Set(['ours']))).toBeNull();
    expect(
      suggest(evidence([medium([match('national/real_abuse', { bank: 'ours' })])]), new Set(['ours'])),
    ).not.toBeNull();
    expect(suggest(evidence([medium([match('computer_generated')])]))).toBeNull();
  });
});
