import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  contentCategories,
  depictions,
  formatLabel,
  type IndustryClassInput,
  industryClassOf,
  type Label,
  labelFromProjectVic,
  legalStatuses,
  loadTaxonomy,
  outcomes,
  parseLabel,
  projectVicCategories,
  projectVicCategoryOf,
  TAXONOMY_VERSION,
  taxonomy,
  taxonomyFileSchema,
  victimAgeGroups,
  victimGenders,
} from '../../src/taxonomy/taxonomy.ts';
import {
  dontKnow,
  mediaTypes,
  reportedMediaTypes,
  reportedSiteTypes,
  siteTypes,
} from '../../src/taxonomy/vocabulary.ts';

const everyLabel: Label[] = [
  ...legalStatuses.map((legalStatus) => ({ legalStatus, content: null })),
  ...contentCategories.map((content) => ({ legalStatus: null, content })),
  ...legalStatuses.flatMap((legalStatus) => contentCategories.map((content) => ({ legalStatus, content }))),
];

describe('the data file', () => {
  const raw = () => JSON.parse(readFileSync(new URL('../../data/taxonomy/v1.json', import.meta.url), 'utf8'));

  it('is the current version and describes every word of DESIGN.md §7', () => {
    expect(taxonomy.version).toBe(TAXONOMY_VERSION);
    expect(loadTaxonomy(TAXONOMY_VERSION)).toEqual(taxonomy);
    expect(Object.keys(taxonomy.legalStatus).sort()).toEqual([...legalStatuses].sort());
    expect(Object.keys(taxonomy.outcome)).toEqual(['gone']);
    expect(outcomes).toEqual([...legalStatuses, 'gone']);
    expect(mediaTypes).toEqual(['image', 'video', 'text', 'other']);
    expect(victimAgeGroups).toEqual(['infant_toddler', 'prepubescent', 'pubescent', 'unknown']);
    expect(victimGenders).toEqual(['female', 'male', 'both', 'unknown']);
    expect(siteTypes).toHaveLength(10);
    for (const [words, described] of [
      [contentCategories, taxonomy.content],
      [mediaTypes, taxonomy.mediaType],
      [victimAgeGroups, taxonomy.victimAgeGroup],
      [victimGenders, taxonomy.victimGender],
      [siteTypes, taxonomy.siteType],
      [depictions, taxonomy.depiction],
    ] as const) {
      expect(Object.keys(described).sort()).toEqual([...words].sort());
    }
  });

  it('offers the reporter exactly the taxonomy\'s site and media types, and "I don\'t know"', () => {
    expect(reportedSiteTypes).toEqual([...Object.keys(taxonomy.siteType), 'unknown']);
    expect(reportedMediaTypes).toEqual([...Object.keys(taxonomy.mediaType), 'unknown']);
    expect(dontKnow).toBe('unknown');
  });

  it('is refused when a word is missing, unknown or a mapping points outside the vocabulary', () => {
    expect(taxonomyFileSchema.safeParse(raw()).success).toBe(true);
    const broken = [
      (file: ReturnType<typeof raw>) => delete file.siteType.forum,
      (file: ReturnType<typeof raw>) => Object.assign(file.victimGender, { other: 'Other.' }),
      (file: ReturnType<typeof raw>) =>
        Object.assign(file.exports.projectVic.toLabel, { 1: { legalStatus: 'illegal', content: null } }),
      (file: ReturnType<typeof raw>) => Object.assign(file.exports.industry.ageGroup, { pubescent: 'C' }),
      (file: ReturnType<typeof raw>) => file.exports.projectVic.fromLabel.push({ when: {}, category: 4 }),
    ];
    for (const breakIt of broken) {
      const file = raw();
      breakIt(file);
      expect(taxonomyFileSchema.safeParse(file).success, breakIt.toString()).toBe(false);
    }
  });
});

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
      'gone',
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
    expect(projectVicCategoryOf({ legalStatus: 'not_illegal', content: 'computer_generated' })).toBe(0);
  });
});

describe('industry classes', () => {
  const illegalImage: IndustryClassInput = {
    legalStatus: 'baseline',
    content: 'real_abuse',
    mediaType: 'image',
    victimAgeGroup: 'prepubescent',
    depiction: 'sexual_act',
  };
  const classOf = (change: Partial<IndustryClassInput>) => industryClassOf({ ...illegalImage, ...change });

  it('are A for prepubescent (infants included), B for pubescent; 1 for a sexual act, 2 for lascivious exhibition', () => {
    expect(classOf({})).toBe('A1');
    expect(classOf({ victimAgeGroup: 'infant_toddler' })).toBe('A1');
    expect(classOf({ depiction: 'lascivious_exhibition' })).toBe('A2');
    expect(classOf({ victimAgeGroup: 'pubescent', legalStatus: 'national', mediaType: 'video' })).toBe('B1');
    expect(
      classOf({ victimAgeGroup: 'pubescent', depiction: 'lascivious_exhibition', content: 'self_generated' }),
    ).toBe('B2');
  });

  it('are given only to illegal images and videos of a real child of known age and depiction', () => {
    for (const change of [
      { legalStatus: 'not_illegal' },
      { legalStatus: null },
      { content: 'computer_generated' },
      { content: 'erotica_posing' },
      { mediaType: 'text' },
      { victimAgeGroup: 'unknown' },
      { victimAgeGroup: null },
      { depiction: 'other' },
      { depiction: null },
    ] as Partial<IndustryClassInput>[]) {
      expect(classOf(change), JSON.stringify(change)).toBeNull();
    }
  });
});
