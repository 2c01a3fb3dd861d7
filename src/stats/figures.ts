import { contentCategories, outcomes } from '../taxonomy/taxonomy.ts';
import { reportCategories, siteTypes } from '../taxonomy/vocabulary.ts';
import { monthOf, monthsOf, type Period, periodDays } from './period.ts';

/** What the queries read: only columns a retention purge keeps (src/retention/purge.ts). */
export interface StatsRows {
  reports: { category: string; receivedAt: number }[];
  items: { firstReportedAt: number }[];
  /** Confirmed assessments decided in the period, one per item. */
  assessments: {
    outcome: string;
    content: string | null;
    siteType: string | null;
    hostingCountry: string | null;
    firstReportedAt: number;
    decidedAt: number;
  }[];
}

/** The figures computed from reports, items and assessments (forwards: see forwards.ts). */
export interface Statistics {
  period: { from: string; to: string };
  reports: { total: number; byCategory: Record<string, number>; byMonth: Record<string, number> };
  items: { total: number; byMonth: Record<string, number> };
  assessments: { total: number; byLegalStatus: Record<string, number>; byContent: Record<string, number> };
  /** Of content confirmed illegal: where it was hosted (ISO country, `unknown`) and on what kind of site. */
  hostingCountries: Record<string, number>;
  siteTypes: Record<string, number>;
  /** From an item's first report to the confirmation of its assessment. */
  timeToAssessment: { count: number; medianMs: number | null };
}

/** Not illegal, or not judged: not counted as illegal content. */
const illegalOutcomes: readonly string[] = ['baseline', 'national'];
const unknown = 'unknown';

/** Counts `values`; every word of `vocabulary` appears, zero or not, in the vocabulary's order. */
export function countBy(
  values: readonly (string | null)[],
  vocabulary: readonly string[] = [],
): Record<string, number> {
  const counts: Record<string, number> = Object.create(null);
  for (const word of vocabulary) counts[word] = 0;
  for (const value of values) {
    const key = value ?? unknown;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return { ...counts };
}

/** The median of `values` (mean of the middle two for an even count), null when there are none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const upper = sorted[Math.floor(sorted.length / 2)] ?? 0;
  const lower = sorted[Math.ceil(sorted.length / 2) - 1] ?? 0;
  return (lower + upper) / 2;
}

/** Counts times per month of the period, every month listed. */
const perMonth = (period: Period, times: readonly number[]) => countBy(times.map(monthOf), monthsOf(period));

/** The figures of `period` from its rows: pure, so it is tested without a database. */
export function buildStatistics(period: Period, rows: StatsRows): Statistics {
  const illegal = rows.assessments.filter((a) => illegalOutcomes.includes(a.outcome));
  const waits = rows.assessments.map((a) => a.decidedAt - a.firstReportedAt);
  return {
    period: periodDays(period),
    reports: {
      total: rows.reports.length,
      byCategory: countBy(
        rows.reports.map((r) => r.category),
        reportCategories,
      ),
      byMonth: perMonth(
        period,
        rows.reports.map((r) => r.receivedAt),
      ),
    },
    items: {
      total: rows.items.length,
      byMonth: perMonth(
        period,
        rows.items.map((i) => i.firstReportedAt),
      ),
    },
    assessments: {
      total: rows.assessments.length,
      byLegalStatus: countBy(
        rows.assessments.map((a) => a.outcome),
        outcomes,
      ),
      byContent: countBy(
        rows.assessments.map((a) => a.content),
        contentCategories,
      ),
    },
    hostingCountries: countBy(illegal.map((a) => a.hostingCountry)),
    siteTypes: countBy(
      illegal.map((a) => a.siteType),
      siteTypes,
    ),
    timeToAssessment: { count: waits.length, medianMs: median(waits) },
  };
}
