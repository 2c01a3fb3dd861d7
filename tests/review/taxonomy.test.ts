import { describe, expect, it } from 'vitest';
import {
  contentCategories,
  formatLabel,
  type Label,
  labelFromProjectVic,
  legalStatuses,
  parseLabel,
  projectVicCategories,
  projectVicCategoryOf,
} from '../../src/review/taxonomy.ts';

const everyLabel: Label[] = [
  ...legalStatuses.map((legalStatus) => ({ legalStatus, content: null })),
  ...contentCategories.map((content) => ({ legalStatus: null, content })),
  ...legalStatuses.flatMap((legalStatus) => contentCategories.map((content) => ({ legalStatus, content }))),
];

describe('labels', () => {
  it('read back every label they write', () => {
    for (const label of everyLabel) expect(parseLabel(formatLabel(label))).toEqual(label);
  });

  it('put the legal status first', () => {
    expect(formatLabel({ legalStatus: 'national', content: 'real_abuse' })).toBe('national/real_abuse');
    expect(parseLabel('real_abuse/national')).toBeNull();
  });

  it('refuse words outside the vocabulary', () => {
    for (const text of [
      '',
      'illegal',
      'national/',
      '/real_abuse',
      'national/real_abuse/x',
      'National',
      'baseline/national',
    ]) {
      expect(parseLabel(text)).toBeNull();
    }
  });

  it('need at least one part', () => {
    expect(() => formatLabel({ legalStatus: null, content: null })).toThrow();
  });
});

describe('Project VIC categories', () => {
  it('map to labels and back to the same category', () => {
    for (const category of projectVicCategories) {
      expect(projectVicCategoryOf(labelFromProjectVic(category))).toBe(category);
    }
  });

  it('adopt a legal judgement only for child abuse material', () => {
    expect(labelFromProjectVic(1)).toEqual({ legalStatus: 'national', content: 'real_abuse' });
    expect(labelFromProjectVic(0).legalStatus).toBe('not_illegal');
    expect(labelFromProjectVic(2).legalStatus).toBeNull();
    expect(labelFromProjectVic(3)).toEqual({ legalStatus: null, content: 'computer_generated' });
  });

  it('have no category for a label that says nothing about legality or a VIC class', () => {
    expect(projectVicCategoryOf({ legalStatus: null, content: 'grooming_evidence' })).toBeNull();
    expect(projectVicCategoryOf({ legalStatus: 'baseline', content: 'self_generated' })).toBe(1);
  });
});
