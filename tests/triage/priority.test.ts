import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { legalStatuses } from '../../src/taxonomy/taxonomy.ts';
import type { ReportCategory } from '../../src/taxonomy/vocabulary.ts';
import { type PriorityInput, priority } from '../../src/triage/priority.ts';

const now = 1_700_000_000_000;
const hour = 3_600_000;
const base: PriorityInput = {
  now,
  firstReportedAt: now,
  reportCount: 1,
  categories: ['other'],
  hostingCountry: null,
  matchedLegalStatuses: [],
};
const score = (overrides: Partial<PriorityInput>) => priority({ ...base, ...overrides }).score;
const codes = (overrides: Partial<PriorityInput>) => priority({ ...base, ...overrides }).reasons.map((r) => r.code);

describe('priority', () => {
  it('gives nothing to a fresh single report of category other, and says so', () => {
    expect(priority(base)).toEqual({ score: 0, reasons: [] });
  });

  it('the score is the sum of the explained reasons', () => {
    const result = priority({
      ...base,
      reportCount: 3,
      categories: ['other', 'csam', 'sexting'],
      hostingCountry: 'be',
      matchedLegalStatuses: ['national', null],
      firstReportedAt: now - 5 * hour,
    });
    expect(result.reasons.map((r) => r.code)).toEqual([
      'match_national',
      'category',
      'reports',
      'hosted_in_belgium',
      'waiting',
    ]);
    expect(result.score).toBe(result.reasons.reduce((s, r) => s + r.points, 0));
    expect(result.reasons.find((r) => r.code === 'category')?.detail).toBe('csam');
    expect(result.reasons.find((r) => r.code === 'reports')?.detail).toBe(3);
    expect(result.reasons.find((r) => r.code === 'waiting')?.detail).toBe(5);
  });

  it('a confirmed baseline match outranks national, which outranks an unassessed label', () => {
    const baseline = score({ matchedLegalStatuses: ['baseline', 'national'] });
    const national = score({ matchedLegalStatuses: ['national', null] });
    const unassessed = score({ matchedLegalStatuses: [null] });
    expect(baseline).toBeGreaterThan(national);
    expect(national).toBeGreaterThan(unassessed);
    expect(unassessed).toBeGreaterThan(score({}));
    expect(score({ matchedLegalStatuses: ['not_illegal'] })).toBe(score({}));
    expect(codes({ matchedLegalStatuses: ['baseline', 'national'] })).toEqual(['match_baseline']);
  });

  it('ranks csam above grooming above sexting above other, taking the gravest report', () => {
    const order: ReportCategory[] = ['csam', 'grooming', 'sexting', 'other'];
    const scores = order.map((c) => score({ categories: [c] }));
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(new Set(scores).size).toBe(4);
    expect(score({ categories: ['other', 'csam'] })).toBe(score({ categories: ['csam'] }));
  });

  it('hosting in Belgium adds, whatever the case of the code', () => {
    expect(score({ hostingCountry: 'BE' })).toBeGreaterThan(score({ hostingCountry: 'NL' }));
    expect(score({ hostingCountry: 'be' })).toBe(score({ hostingCountry: 'BE' }));
  });

  it('more reports and longer waits add, within caps that never reach a confirmed match', () => {
    expect(score({ reportCount: 2 })).toBeGreaterThan(score({ reportCount: 1 }));
    expect(score({ firstReportedAt: now - 2 * hour })).toBeGreaterThan(score({ firstReportedAt: now - hour }));
    const flooded = score({ reportCount: 10_000, firstReportedAt: now - 1000 * hour, categories: ['csam'] });
    const confirmed = score({ matchedLegalStatuses: ['national'], categories: ['csam'] });
    expect(confirmed).toBeGreaterThan(flooded);
  });

  it('is monotone: adding a report, a match or waiting never lowers the score', () => {
    const category = fc.constantFrom<ReportCategory>('csam', 'grooming', 'sexting', 'other');
    const status = fc.constantFrom(...legalStatuses, null);
    const input = fc.record({
      now: fc.constant(now),
      firstReportedAt: fc.integer({ min: now - 2000 * hour, max: now }),
      reportCount: fc.integer({ min: 1, max: 100 }),
      categories: fc.array(category, { minLength: 1, maxLength: 5 }),
      hostingCountry: fc.constantFrom(null, 'BE', 'NL', 'US'),
      matchedLegalStatuses: fc.array(status, { maxLength: 4 }),
    });
    fc.assert(
      fc.property(input, status, category, (i, extraStatus, extraCategory) => {
        const s = priority(i).score;
        expect(
          priority({ ...i, reportCount: i.reportCount + 1, categories: [...i.categories, extraCategory] }).score,
        ).toBeGreaterThanOrEqual(s);
        expect(
          priority({ ...i, matchedLegalStatuses: [...i.matchedLegalStatuses, extraStatus] }).score,
        ).toBeGreaterThanOrEqual(s);
        expect(priority({ ...i, now: i.now + hour }).score).toBeGreaterThanOrEqual(s);
        expect(priority(i).reasons.every((r) => r.points > 0)).toBe(true);
      }),
    );
  });
});
