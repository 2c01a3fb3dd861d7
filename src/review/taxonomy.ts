/**
 * The classification vocabulary (DESIGN.md §7), versioned because stored labels and exports depend
 * on it: a value is only ever added, never renamed or reused, and each change bumps the version.
 * Bank entries carry a label built from it; the assessment work builds on the same lists.
 */
export const TAXONOMY_VERSION = 1;

export const legalStatuses = [
  /** Illegal everywhere: the INTERPOL baseline. */
  'baseline',
  /** Illegal under Belgian law. */
  'national',
  'not_illegal',
] as const;
export type LegalStatus = (typeof legalStatuses)[number];

export const contentCategories = [
  'real_abuse',
  'computer_generated',
  'erotica_posing',
  'self_generated',
  'grooming_evidence',
  'other',
] as const;
export type ContentCategory = (typeof contentCategories)[number];

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
    return isLegalStatus(legal) && isContentCategory(content) ? { legalStatus: legal, content } : null;
  }
  if (parts.length !== 1) return null;
  if (isLegalStatus(text)) return { legalStatus: text, content: null };
  if (isContentCategory(text)) return { legalStatus: null, content: text };
  return null;
}

function isLegalStatus(value: string): value is LegalStatus {
  return (legalStatuses as readonly string[]).includes(value);
}

function isContentCategory(value: string): value is ContentCategory {
  return (contentCategories as readonly string[]).includes(value);
}

/** Project VIC (VICS) media categories. */
export const projectVicCategories = [0, 1, 2, 3] as const;
export type ProjectVicCategory = (typeof projectVicCategories)[number];

/**
 * A VICS category as our label. Only category 1 (child abuse material, real) carries a legal
 * judgement we can adopt: it is illegal under Belgian law. Age-difficult or exploitive (2) and
 * CGI or animation (3) need an analyst's legal assessment, so their legal status stays unknown.
 */
export function labelFromProjectVic(category: ProjectVicCategory): Label {
  switch (category) {
    case 0:
      return { legalStatus: 'not_illegal', content: null };
    case 1:
      return { legalStatus: 'national', content: 'real_abuse' };
    case 2:
      return { legalStatus: null, content: 'erotica_posing' };
    case 3:
      return { legalStatus: null, content: 'computer_generated' };
  }
}

/** Our label as a VICS category for exports; null when the label says too little to choose one. */
export function projectVicCategoryOf(label: Label): ProjectVicCategory | null {
  if (label.legalStatus === 'not_illegal') return 0;
  if (label.content === 'computer_generated') return 3;
  if (label.content === 'erotica_posing') return 2;
  if (label.legalStatus === 'baseline' || label.legalStatus === 'national') return 1;
  return null;
}

export function isProjectVicCategory(value: unknown): value is ProjectVicCategory {
  return (projectVicCategories as readonly unknown[]).includes(value);
}
