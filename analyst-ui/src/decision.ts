import type { AssessmentFields } from './api.ts';
import { type TaxonomyField, taxonomyFields } from './i18n/index.ts';

export type DecisionDraft = Partial<Record<TaxonomyField, string>> & { comment?: string };

const illegal = ['baseline', 'national'];

/**
 * The fields still to choose before "Submit & next": the legal status always; for illegal
 * content every other field too, because routing and the export codes need them.
 * "Not illegal", "gone" and "skip" never wait for this list.
 */
export function missingFields(draft: DecisionDraft): TaxonomyField[] {
  if (!draft.legalStatus) return ['legalStatus'];
  if (!illegal.includes(draft.legalStatus)) return [];
  return taxonomyFields.filter((field) => !draft[field]);
}

/** The body of POST /items/:id/assessments: only chosen fields, named as the taxonomy names them. */
export function assessmentBody(draft: DecisionDraft): Partial<AssessmentFields> {
  const body: Partial<AssessmentFields> = {};
  for (const field of taxonomyFields) {
    const value = draft[field];
    if (value) body[field] = value;
  }
  if (draft.comment?.trim()) body.comment = draft.comment.trim();
  return body;
}

/**
 * Blur levels of the safe view as the server names them (5 the strongest, 0 none; see
 * src/review/safe-view.ts), strongest first; the analyst goes down one step at a time.
 */
export const blurSteps = [5, 4, 3, 2, 1, 0] as const;

export const skipReasons = ['expertise', 'exposure', 'conflict', 'other'] as const;
