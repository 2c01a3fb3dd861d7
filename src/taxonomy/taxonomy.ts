import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { type MediaType, mediaTypes, siteTypes } from './vocabulary.ts';

/**
 * The classification vocabulary (DESIGN.md §7). The words are fixed here, in code, because types and
 * stored labels depend on them; their descriptions and the mappings to export codes live in the
 * versioned data file data/taxonomy/v<version>.json, which must list exactly these words. A word is
 * only ever added, never renamed or reused, and each change is a new data file and version.
 */
export const legalStatuses = ['baseline', 'national', 'not_illegal'] as const;
export type LegalStatus = (typeof legalStatuses)[number];

/** What an assessment concludes: a legal status, or that the content was gone before it could be judged. */
const notAssessedOutcomes = ['gone'] as const;
export const outcomes = [...legalStatuses, ...notAssessedOutcomes] as const;
export type Outcome = (typeof outcomes)[number];

export const contentCategories = [
  'real_abuse',
  'computer_generated',
  'erotica_posing',
  'self_generated',
  'grooming_evidence',
  'other',
] as const;
export type ContentCategory = (typeof contentCategories)[number];

export const victimAgeGroups = ['infant_toddler', 'prepubescent', 'pubescent', 'unknown'] as const;
export type VictimAgeGroup = (typeof victimAgeGroups)[number];

export const victimGenders = ['female', 'male', 'both', 'unknown'] as const;
export type VictimGender = (typeof victimGenders)[number];

/** Not in DESIGN.md §7's list, but the industry classes (A1..B2) cannot be derived without it. */
export const depictions = ['sexual_act', 'lascivious_exhibition', 'other'] as const;
export type Depiction = (typeof depictions)[number];

export const projectVicCategories = [0, 1, 2, 3] as const;
export type ProjectVicCategory = (typeof projectVicCategories)[number];

export const industryClasses = ['A1', 'A2', 'B1', 'B2'] as const;
export type IndustryClass = (typeof industryClasses)[number];

const described = <const T extends readonly [string, ...string[]]>(words: T) => z.record(z.enum(words), z.string());
const vicKey = z.enum(['0', '1', '2', '3']);
const labelSchema = z.strictObject({
  legalStatus: z.enum(legalStatuses).nullable(),
  content: z.enum(contentCategories).nullable(),
});

/** The data file's shape; `z.record` over an enum demands every word and refuses any other. */
export const taxonomyFileSchema = z.strictObject({
  version: z.number().int().positive(),
  legalStatus: described(legalStatuses),
  outcome: described(notAssessedOutcomes),
  content: described(contentCategories),
  mediaType: described(mediaTypes),
  victimAgeGroup: described(victimAgeGroups),
  victimGender: described(victimGenders),
  siteType: described(siteTypes),
  depiction: described(depictions),
  exports: z.strictObject({
    projectVic: z.strictObject({
      note: z.string(),
      categories: z.record(vicKey, z.string()),
      toLabel: z.record(vicKey, labelSchema),
      fromLabel: z.array(
        z.strictObject({
          when: z.strictObject({
            legalStatus: z.array(z.enum(legalStatuses)).optional(),
            content: z.array(z.enum(contentCategories)).optional(),
          }),
          category: z.literal(projectVicCategories),
        }),
      ),
    }),
    industry: z.strictObject({
      note: z.string(),
      requires: z.strictObject({
        legalStatus: z.array(z.enum(legalStatuses)),
        content: z.array(z.enum(contentCategories)),
        mediaType: z.array(z.enum(mediaTypes)),
      }),
      ageGroup: z.partialRecord(z.enum(victimAgeGroups), z.enum(['A', 'B'])),
      depiction: z.partialRecord(z.enum(depictions), z.enum(['1', '2'])),
    }),
  }),
});
export type TaxonomyFile = z.infer<typeof taxonomyFileSchema>;

export function loadTaxonomy(version: number): TaxonomyFile {
  const file = new URL(`../../data/taxonomy/v${version}.json`, import.meta.url);
  const taxonomy = taxonomyFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  if (taxonomy.version !== version) throw new Error(`${file.pathname} says it is version ${taxonomy.version}`);
  return taxonomy;
}

/** The version labels are written in; stored with each label (bank_entries.taxonomy_version). */
export const TAXONOMY_VERSION = 1;
export const taxonomy = loadTaxonomy(TAXONOMY_VERSION);

/**
 * What is known about the content behind a signal. Either part may be unknown: a partner list can
 * say "computer-generated" without a Belgian legal assessment, or "not illegal" without a content class.
 */
export interface Label {
  legalStatus: LegalStatus | null;
  content: ContentCategory | null;
}

/** `national/real_abuse`, `not_illegal`, `computer_generated`: the known parts, legal status first. */
export function formatLabel(label: Label): string {
  const parts = [label.legalStatus, label.content].filter((p) => p !== null);
  if (parts.length === 0) throw new Error('a label needs a legal status or a content category');
  return parts.join('/');
}

/** The inverse of formatLabel; null for anything not in the vocabulary. */
export function parseLabel(text: string): Label | null {
  const parts = text.split('/');
  if (parts.length === 2) {
    const [legal = '', content = ''] = parts;
    return isOneOf(legalStatuses, legal) && isOneOf(contentCategories, content)
      ? { legalStatus: legal, content }
      : null;
  }
  if (parts.length !== 1) return null;
  if (isOneOf(legalStatuses, text)) return { legalStatus: text, content: null };
  if (isOneOf(contentCategories, text)) return { legalStatus: null, content: text };
  return null;
}

function isOneOf<T>(words: readonly T[], value: unknown): value is T {
  return words.includes(value as T);
}

export function isProjectVicCategory(value: unknown): value is ProjectVicCategory {
  return isOneOf(projectVicCategories, value);
}

/** A VICS category as our label (see the data file's note). */
export function labelFromProjectVic(category: ProjectVicCategory): Label {
  return { ...taxonomy.exports.projectVic.toLabel[`${category}`] };
}

/** Our label as a VICS category for exports; null when the label says too little to choose one. */
export function projectVicCategoryOf(label: Label): ProjectVicCategory | null {
  const rule = taxonomy.exports.projectVic.fromLabel.find(
    ({ when }) =>
      (!when.legalStatus || isOneOf(when.legalStatus, label.legalStatus)) &&
      (!when.content || isOneOf(when.content, label.content)),
  );
  return rule?.category ?? null;
}

/** What an analyst records about one medium, as far as the industry classes need it. */
export interface IndustryClassInput extends Label {
  mediaType: MediaType | null;
  victimAgeGroup: VictimAgeGroup | null;
  depiction: Depiction | null;
}

/**
 * The industry class (A1 prepubescent sexual act, A2 prepubescent lascivious exhibition, B1 pubescent
 * sexual act, B2 pubescent lascivious exhibition), or null when the classification does not establish one.
 */
export function industryClassOf(input: IndustryClassInput): IndustryClass | null {
  const { requires, ageGroup, depiction } = taxonomy.exports.industry;
  if (!isOneOf(requires.legalStatus, input.legalStatus) || !isOneOf(requires.content, input.content)) return null;
  if (!isOneOf(requires.mediaType, input.mediaType)) return null;
  const letter = input.victimAgeGroup && ageGroup[input.victimAgeGroup];
  const digit = input.depiction && depiction[input.depiction];
  return letter && digit ? (`${letter}${digit}` as const) : null;
}
