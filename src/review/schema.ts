import { z } from 'zod';
import {
  contentCategories,
  depictions,
  legalStatuses,
  mediaTypes,
  siteTypes,
  victimAgeGroups,
  victimGenders,
} from '../taxonomy/taxonomy.ts';

// Request bodies of the review API. Field names are the taxonomy's (data/taxonomy/v1.json).

const comment = z.string().trim().max(2000);
const required = 'error.assessment.required';

/**
 * A judgement of the content. An illegal one needs every field the exports derive from; "not
 * illegal" needs none of them, so it is never blocked by the form.
 */
const judgementSchema = z
  .strictObject({
    legalStatus: z.enum(legalStatuses),
    content: z.enum(contentCategories).nullish(),
    mediaType: z.enum(mediaTypes).nullish(),
    victimAgeGroup: z.enum(victimAgeGroups).nullish(),
    victimGender: z.enum(victimGenders).nullish(),
    siteType: z.enum(siteTypes).nullish(),
    depiction: z.enum(depictions).nullish(),
    comment: comment.optional(),
  })
  .superRefine((body, ctx) => {
    if (body.legalStatus === 'not_illegal') return;
    for (const field of ['content', 'mediaType', 'victimAgeGroup', 'victimGender', 'siteType', 'depiction'] as const) {
      if (body[field] == null) ctx.addIssue({ code: 'custom', path: [field], message: required });
    }
  });

/** The content could not be judged: it was gone. */
const goneSchema = z.strictObject({ outcome: z.literal('gone'), comment: comment.optional() });

/** Picks the shape by its key, so the field errors are those of the shape the client meant. */
export function assessmentSchemaFor(body: unknown) {
  return body !== null && typeof body === 'object' && 'outcome' in body ? goneSchema : judgementSchema;
}
export type AssessmentBody = z.output<typeof goneSchema> | z.output<typeof judgementSchema>;

export const decisionBodySchema = z.strictObject({ comment: comment.optional() });
export const disputeBodySchema = z.strictObject({ comment: comment.min(1, 'error.comment.required') });
export const skipBodySchema = z.strictObject({ reason: z.string().trim().min(1, 'error.reason.required').max(500) });
export const knownConfirmBodySchema = z.strictObject({
  itemIds: z.array(z.number().int().positive()).min(1).max(500),
  comment: comment.optional(),
});
