import { describe, expect, it } from 'vitest';
import { hotlineBank, suggestKnownAssessment } from '../../src/triage/known-content.ts';
import type { BankMatch } from '../../src/triage/matcher.ts';

let nextId = 1;
const match = (bank: string, label: string): BankMatch => ({
  bank,
  label,
  entryId: nextId++,
  signalType: 'sha256',
  value: '0'.repeat(64),
  distance: 0,
  variant: null,
});

describe('suggestKnownAssessment', () => {
  it('suggests the assessment when every medium matched our own bank', () => {
    const own = match(hotlineBank, 'national/real_abuse');
    expect(suggestKnownAssessment([{ matches: [own] }, { matches: [match(hotlineBank, 'national')] }])).toMatchObject({
      label: 'national/real_abuse',
      bankEntryId: own.entryId,
    });
  });

  it('takes the gravest of the labels', () => {
    const baseline = match(hotlineBank, 'baseline/real_abuse');
    const media = [
      { matches: [match(hotlineBank, 'not_illegal')] },
      { matches: [match(hotlineBank, 'national'), baseline] },
    ];
    expect(suggestKnownAssessment(media)).toEqual({ label: 'baseline/real_abuse', bankEntryId: baseline.entryId });
  });

  it('needs every medium: one unknown medium means an analyst must look', () => {
    expect(suggestKnownAssessment([{ matches: [match(hotlineBank, 'national')] }, { matches: [] }])).toBeNull();
    expect(suggestKnownAssessment([])).toBeNull();
  });

  it('partner banks and labels without a legal status do not make an item known', () => {
    expect(suggestKnownAssessment([{ matches: [match('partner', 'national/real_abuse')] }])).toBeNull();
    expect(suggestKnownAssessment([{ matches: [match(hotlineBank, 'computer_generated')] }])).toBeNull();
  });
});
