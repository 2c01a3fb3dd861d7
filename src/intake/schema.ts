import { z } from 'zod';
import { languages, withValues } from '../http/i18n.ts';
import { cleanText, fieldErrors } from '../http/validation.ts';
import { dontKnow, reportCategories, reportedMediaTypes, reportedSiteTypes } from '../taxonomy/vocabulary.ts';

export const maxUrlsPerReport = 20;
/** Lines of pasted text (or API entries) read for addresses; blank ones included. */
export const maxPastedLines = 100;
export const maxDescriptionLength = 2000;

const emptyToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

/**
 * One schema for the form and the JSON API: the form body is first brought into this shape. Only the
 * addresses are required: a frightened reporter may not know the rest, and a missing answer is `unknown`.
 */
export const reportSubmissionSchema = z.strictObject({
  urls: z.array(cleanText().max(8192)).min(1).max(maxPastedLines),
  category: z.preprocess(emptyToUndefined, z.enum(reportCategories).default(dontKnow)),
  siteType: z.preprocess(emptyToUndefined, z.enum(reportedSiteTypes).default(dontKnow)),
  mediaType: z.preprocess(emptyToUndefined, z.enum(reportedMediaTypes).default(dontKnow)),
  description: z.preprocess(
    emptyToUndefined,
    cleanText({ multiline: true }).trim().max(maxDescriptionLength).optional(),
  ),
  contact: z.preprocess(emptyToUndefined, cleanText().trim().max(254).pipe(z.email()).optional()),
  lang: z.enum(languages).optional(),
});

export type ReportSubmission = z.infer<typeof reportSubmissionSchema>;

export const statusQuerySchema = z.strictObject({ receipt: cleanText().max(100), lang: z.enum(languages).optional() });

/** The message key per field of a refused report or status check, in the reporter's words. */
export const reportFieldErrors = (error: z.ZodError) => fieldErrors(error, messageKeyFor);

function messageKeyFor(field: string, issue: z.core.$ZodIssue): string {
  switch (field) {
    case 'urls':
      if (issue.code === 'too_small') return 'error.urls.required';
      if (issue.path.length > 1) {
        const line = { line: Number(issue.path[1]) + 1 };
        return withValues(issue.code === 'too_big' ? 'error.urls.too_long' : 'error.urls.not_a_url', line);
      }
      if (issue.code === 'too_big') return 'error.urls.too_many';
      return 'error.urls.required';
    case 'category':
    case 'siteType':
    case 'mediaType':
    case 'contact':
    case 'lang':
      return `error.${field}.invalid`;
    case 'description':
      return issue.code === 'too_big' ? 'error.description.too_long' : 'error.description.invalid';
    case 'receipt':
      return 'error.receipt.required';
    default:
      return 'error.field.invalid';
  }
}
