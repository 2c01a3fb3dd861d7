/** GET /api/v1/stats: the figures of a period (src/stats/figures.ts and forwards.ts on the server). */
export interface Statistics {
  period: { from: string; to: string };
  reports: { total: number; byCategory: Record<string, number>; byMonth: Record<string, number> };
  items: { total: number; byMonth: Record<string, number> };
  assessments: { total: number; byLegalStatus: Record<string, number>; byContent: Record<string, number> };
  hostingCountries: Record<string, number>;
  siteTypes: Record<string, number>;
  timeToAssessment: { count: number; medianMs: number | null };
  forwards: {
    total: number;
    byDestinationType: Record<string, number>;
    /** The receiver's country; `none` for the police and INTERPOL. */
    byCountry: Record<string, number>;
  };
  /** Per forwarded item, from its first report; shares (0 to 1) of the items removed, null when none was. */
  timeToRemoval: {
    items: number;
    removed: number;
    medianMs: number | null;
    within3Days: number | null;
    within7Days: number | null;
  };
}

/** The figures of one calendar year, and where its CSV is downloaded from. */
export const yearQuery = (year: number) => `from=${year}-01-01&to=${year}-12-31`;
export const yearCsvUrl = (year: number) => `/api/v1/stats?${yearQuery(year)}&format=csv`;

/** The rows of a count table: largest first; a tie keeps the server's order. */
export const largestFirst = (counts: Record<string, number>): [string, number][] =>
  Object.entries(counts).sort(([, a], [, b]) => b - a);

/**
 * The `top` largest counts and the sum of the rest (null when nothing is left over): what a
 * one-page summary has room for.
 */
export function topAndRest(
  counts: Record<string, number>,
  top: number,
): { top: [string, number][]; rest: number | null } {
  const sorted = largestFirst(counts);
  // One row left over is shown as itself: an "other" row would take the same room.
  if (sorted.length <= top + 1) return { top: sorted, rest: null };
  return { top: sorted.slice(0, top), rest: sorted.slice(top).reduce((sum, [, n]) => sum + n, 0) };
}
