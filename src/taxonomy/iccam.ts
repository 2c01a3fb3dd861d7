import type { ContentCategory, LegalStatus, VictimAgeGroup, VictimGender } from './taxonomy.ts';
import type { SiteType } from './vocabulary.ts';

/**
 * Our words as ICCAM codes (../shared/reference/exchange-formats.md §4.1, as the SCART hotline tool
 * speaks the ICCAM API; no public specification was found). Typed as full records so that a word
 * added to our vocabulary does not compile until it has a code here.
 */

/** ICCAM classification: 1 baseline, 2 national, 3 doubtful, 4 not illegal ("ignore"). */
export const iccamClassification = { baseline: 1, national: 2, doubtful: 3, not_illegal: 4 } as const;

/** A legal status as an ICCAM classification; no legal judgement (a partner's label without one) is doubtful. */
export function iccamClassificationOf(legalStatus: LegalStatus | null): 1 | 2 | 3 | 4 {
  return legalStatus === null ? iccamClassification.doubtful : iccamClassification[legalStatus];
}

/** ICCAM age categorisation: 1 not determined, 2 infant, 3 pre-pubescent, 4 pubescent. */
export const iccamAgeCategory: Record<VictimAgeGroup, 1 | 2 | 3 | 4> = {
  unknown: 1,
  infant_toddler: 2,
  prepubescent: 3,
  pubescent: 4,
};

/** ICCAM gender categorisation: 1 undetermined, 2 female, 3 male, 4 both. */
export const iccamGender: Record<VictimGender, 1 | 2 | 3 | 4> = { unknown: 1, female: 2, male: 3, both: 4 };

/**
 * ICCAM site types, as far as the reference lists them (website 2, file host 3, forum 6, image host
 * 20, blog 22); the other words have no known code and are left out of a record (null).
 */
export const iccamSiteType: Record<SiteType, number | null> = {
  website: 2,
  file_host: 3,
  forum: 6,
  image_host: 20,
  blog: 22,
  social_network: null,
  chat: null,
  video_platform: null,
  peer_to_peer: null,
  other: null,
};

/** The ICCAM assessment's three yes/no flags, by our content category. */
export function iccamContentFlags(content: ContentCategory | null) {
  return {
    virtualContentCategorization: content === 'computer_generated',
    userGeneratedContentCategorization: content === 'self_generated',
    childModelingCategorization: content === 'erotica_posing',
  };
}

/** ICCAM action types: 1 to law enforcement, 2 notice to the provider, 3 removed, 4 unavailable, 5 moved, 7 not illegal. */
export const iccamActionType = {
  law_enforcement: 1,
  provider: 2,
  removed: 3,
  unavailable: 4,
  moved: 5,
  not_illegal: 7,
} as const;
export type IccamActionType = (typeof iccamActionType)[keyof typeof iccamActionType];
