import type { FormValues } from './pages.ts';

/**
 * The lines of the form's address box, blank ones kept so that an error can name the line the
 * reporter sees; each is then read like an entry of the API's list (see submitReport).
 */
export function linesOfText(text: string): string[] {
  return text.trim() === '' ? [] : text.split(/\r?\n/);
}

const formOnlyFields = new Set(['formToken', 'leave_empty', 'switchTo']);

/** Brings an urlencoded form body into the JSON submission's shape (the one schema checks both). */
export function submissionFromForm(body: Record<string, unknown>): Record<string, unknown> {
  const submission: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(body)) {
    if (formOnlyFields.has(field)) continue;
    submission[field] = field === 'urls' && typeof value === 'string' ? linesOfText(value) : value;
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
