import { extractUrls } from '../urls/extract-urls.ts';
import type { FormValues } from './pages.ts';

/**
 * The addresses in the form's textarea: each line's addresses as extracted from what people paste
 * (sentences, defanged forms, quotes); a line with none is kept as typed so that validation can say
 * what is wrong with it instead of silently dropping it.
 */
export function addressesFromText(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .flatMap((line) => {
      const found = extractUrls(line);
      return found.length > 0 ? found : [line];
    });
}

const formOnlyFields = new Set(['formToken', 'leave_empty']);

/** Brings an urlencoded form body into the JSON submission's shape (the one schema checks both). */
export function submissionFromForm(body: Record<string, unknown>): Record<string, unknown> {
  const submission: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(body)) {
    if (formOnlyFields.has(field)) continue;
    submission[field] = field === 'urls' && typeof value === 'string' ? addressesFromText(value) : value;
  }
  if (!('urls' in submission)) submission.urls = [];
  return submission;
}

/** The values to put back into the form after a refusal: strings only, as they were typed. */
export function formValues(body: Record<string, unknown>): FormValues {
  const pick = (field: keyof FormValues) => (typeof body[field] === 'string' ? (body[field] as string) : undefined);
  return {
    urls: pick('urls'),
    category: pick('category'),
    siteType: pick('siteType'),
    mediaType: pick('mediaType'),
    description: pick('description'),
    contact: pick('contact'),
  };
}
