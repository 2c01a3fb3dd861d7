import type { LegalStatus } from '../taxonomy/taxonomy.ts';
import type { ReportCategory } from '../taxonomy/vocabulary.ts';

/**
 * How urgent an item is, for the analyst queue. Pure and explained: every point comes with the
 * reason that earned it, so an analyst can see why an item sits where it does.
 */

export interface PriorityInput {
  now: number;
  firstReportedAt: number;
  reportCount: number;
  /** The categories the reporters chose, one per report (repeats allowed). */
  categories: readonly ReportCategory[];
  /** ISO 3166 alpha-2 of the hosting address, when known. */
  hostingCountry: string | null;
  /** The legal status of each bank label the item's content matched (null: the label has none). */
  matchedLegalStatuses: readonly (LegalStatus | null)[];
}

export type PriorityReasonCode =
  | 'match_baseline'
  | 'match_national'
  | 'match_unassessed'
  | 'category'
  | 'reports'
  | 'hosted_in_belgium'
  | 'waiting';

export interface PriorityReason {
  code: PriorityReasonCode;
  points: number;
  /** What earned the points: the category, the number of reports, the hours waited. */
  detail?: string | number;
}

export interface Priority {
  score: number;
  reasons: PriorityReason[];
}

// Known illegal content outranks everything a reporter can say: it is confirmed, not suspected.
const matchPoints = { baseline: 100, national: 80, unassessed: 30 } as const;
const categoryPoints: Record<ReportCategory, number> = { csam: 40, grooming: 30, sexting: 20, other: 0, unknown: 0 };
/** Each report after the first, up to a cap so a flood of reports cannot outrank a confirmed match. */
const pointsPerExtraReport = 5;
const maxReportPoints = 25;
/** Belgian hosting is actionable at once by the Federal Police. */
const belgiumPoints = 20;
/** Waiting items climb slowly so none starves at the bottom of the queue. */
const maxWaitingPoints = 24;
const hourMs = 3_600_000;

export function priority(input: PriorityInput): Priority {
  const reasons: PriorityReason[] = [];
  const add = (code: PriorityReasonCode, points: number, detail?: string | number) => {
    if (points > 0) reasons.push(detail === undefined ? { code, points } : { code, points, detail });
  };

  const statuses = new Set(input.matchedLegalStatuses);
  if (statuses.has('baseline')) add('match_baseline', matchPoints.baseline);
  else if (statuses.has('national')) add('match_national', matchPoints.national);
  else if (statuses.has(null)) add('match_unassessed', matchPoints.unassessed);

  const gravest = gravestCategory(input.categories);
  if (gravest) add('category', categoryPoints[gravest], gravest);

  const extraReports = Math.max(0, input.reportCount - 1);
  add('reports', Math.min(extraReports * pointsPerExtraReport, maxReportPoints), input.reportCount);

  if (input.hostingCountry?.toUpperCase() === 'BE') add('hosted_in_belgium', belgiumPoints);

  const hoursWaiting = Math.max(0, Math.floor((input.now - input.firstReportedAt) / hourMs));
  add('waiting', Math.min(hoursWaiting, maxWaitingPoints), hoursWaiting);

  return { score: reasons.reduce((sum, r) => sum + r.points, 0), reasons };
}

function gravestCategory(categories: readonly ReportCategory[]): ReportCategory | null {
  let gravest: ReportCategory | null = null;
  for (const category of categories) {
    if (gravest === null || categoryPoints[category] > categoryPoints[gravest]) gravest = category;
  }
  return gravest;
}
