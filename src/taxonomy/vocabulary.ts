/**
 * The words shared by the form, the API, the database and the taxonomy, each defined once here:
 * zod schemas, drizzle column enums, message-key tests and the taxonomy's data file derive from
 * these lists. A word is only ever added, never renamed or reused (stored rows hold it).
 * Account roles are defined once in src/auth/roles.ts; signal types in the signal-type registry.
 */

/** What a reporter says a report is about; `unknown` is "I don't know". */
export const reportCategories = ['csam', 'grooming', 'sexting', 'other', 'unknown'] as const;
export type ReportCategory = (typeof reportCategories)[number];

/** Where content was seen: the taxonomy's list (data/taxonomy/v1.json describes each word). */
export const siteTypes = [
  'website',
  'image_host',
  'file_host',
  'forum',
  'social_network',
  'chat',
  'video_platform',
  'blog',
  'peer_to_peer',
  'other',
] as const;
export type SiteType = (typeof siteTypes)[number];

/** What kind of content: the taxonomy's list. */
export const mediaTypes = ['image', 'video', 'text', 'other'] as const;
export type MediaType = (typeof mediaTypes)[number];

/** The reporter's "I don't know": only the addresses of a report are required. */
export const dontKnow = 'unknown';

/** A reporter's answers: the taxonomy's words, or "I don't know". */
export const reportedSiteTypes = [...siteTypes, dontKnow] as const;
export type ReportedSiteType = (typeof reportedSiteTypes)[number];
export const reportedMediaTypes = [...mediaTypes, dontKnow] as const;
export type ReportedMediaType = (typeof reportedMediaTypes)[number];

/** Triage state of an item. */
export const itemStates = ['new', 'fetching', 'ready', 'unreachable', 'failed', 'known'] as const;
export type ItemState = (typeof itemStates)[number];

/** Where an item, and so a report, stands for the reporter: what a receipt check shows. */
export const reportStatuses = ['received', 'in_review', 'forwarded', 'closed'] as const;
export type ReportStatus = (typeof reportStatuses)[number];

/**
 * The review's own queues, once an assessment exists (stored on the item, items.review_queue):
 * waiting for a second person, disputed (for supervisors), decided, or decided `gone`. While it is
 * null the item waits in the queue its triage state gives it (see src/review/queue.ts).
 */
export const reviewQueues = ['to_confirm', 'disputed', 'decided', 'gone'] as const;
export type ReviewQueue = (typeof reviewQueues)[number];
