import { z } from 'zod';
import { Invalid } from '../errors.ts';
import { fieldErrors } from '../http/validation.ts';
import { contentCategories, depictions, legalStatuses, victimAgeGroups, victimGenders } from '../taxonomy/taxonomy.ts';
import { mediaTypes, siteTypes } from '../taxonomy/vocabulary.ts';

// Request bodies of the review API. Field names are the taxonomy's (data/taxonomy/v1.json).

const comment = z.string().trim().max(2000);
const required = 'error.assessment.required';

/**
 * A judgement of the content. An illegal one needs every field the exports derive from; "not
 * illegal" needs none of them, so it is never blocked by the form.
 */
export const judgementSchema = z.strictObject({
  legalStatus: z.enum(legalStatuses),
  content: z.enum(contentCategories).nullish(),
  mediaType: z.enum(mediaTypes).nullish(),
  victimAgeGroup: z.enum(victimAgeGroups).nullish(),
  victimGender: z.enum(victimGenders).nullish(),
  siteType: z.enum(siteTypes).nullish(),
  depiction: z.enum(depictions).nullish(),
  comment: comment.optional(),
});
const requiredWhenIllegal = [
  'content',
  'mediaType',
  'victimAgeGroup',
  'victimGender',
  'siteType',
  'depiction',
] as const;

/** The content could not be judged: it was gone. */
export const goneSchema = z.strictObject({ outcome: z.literal('gone'), comment: comment.optional() });

export type AssessmentBody = z.output<typeof goneSchema> | z.output<typeof judgementSchema>;

/**
 * Parses an assessment by the shape its keys name (`outcome` or `legalStatus`), reporting every
 * bad field at once: wrong values and, for an illegal judgement, each missing field.
 */
export function parseAssessmentBody(body: unknown): AssessmentBody {
  const fields = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const parsed = ('outcome' in fields ? goneSchema : judgementSchema).safeParse(body);
  const errors = parsed.success ? {} : fieldErrors(parsed.error);
  if (!('outcome' in fields) && ['baseline', 'national'].includes(String(fields.legalStatus))) {
    for (const field of requiredWhenIllegal) if (fields[field] == null) errors[field] ??= required;
  }
  if (!parsed.success || Object.keys(errors).length > 0) throw new Invalid(errors);
  return parsed.data;
}

export const decisionBodySchema = z.strictObject({ comment: comment.optional() });
const requiredText = (messageKey: string, max: number) => z.string(messageKey).trim().min(1, messageKey).max(max);
export const disputeBodySchema = z.strictObject({ comment: requiredText('error.comment.required', 2000) });
export const skipBodySchema = z.strictObject({ reason: requiredText('error.reason.required', 500) });
export const knownConfirmBodySchema = z.strictObject({
  itemIds: z.array(z.number().int().positive()).min(1).max(500),
  comment: comment.optional(),
});

export const clusterEnvelopeSchema = z.strictObject({
  itemIds: z.array(z.number().int().positive()).min(1).max(50),
  assessment: z.record(z.string(), z.unknown()),
});

/**
 * `{"itemIds":[...],"assessment":{...}}`: the ticked items of a cluster and the assessment they
 * all take. Every bad field is named at once, the assessment's own as `assessment.FIELD`.
 */
export function parseClusterAssessmentBody(body: unknown): { itemIds: number[]; assessment: AssessmentBody } {
  const envelope = clusterEnvelopeSchema.safeParse(body);
  const errors = envelope.success ? {} : fieldErrors(envelope.error);
  const fields = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  let assessment: AssessmentBody | undefined;
  if (fields.assessment !== null && typeof fields.assessment === 'object') {
    try {
      assessment = parseAssessmentBody(fields.assessment);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      for (const [field, key] of Object.entries(error.fields)) errors[`assessment.${field}`] ??= key;
    }
  }
  if (!envelope.success || !assessment) throw new Invalid(errors);
  return { itemIds: envelope.data.itemIds, assessment };
}

/** A safe view's heartbeat: `hidden` when the view has just left the screen (closed, replaced, tab hidden). */
export const heartbeatBodySchema = z.strictObject({ hidden: z.boolean().default(false) });
