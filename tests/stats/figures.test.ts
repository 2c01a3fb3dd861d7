import { describe, expect, it } from 'vitest';
import { Invalid } from '../../src/errors.ts';
import { buildStatistics, countBy, median, type StatsRows } from '../../src/stats/figures.ts';
import { buildForwardFigures, type ForwardRow } from '../../src/stats/forwards.ts';
import { monthsOf, periodOfDays, periodOfYear } from '../../src/stats/period.ts';
import { seededRandom } from '../support/seeded-random.ts';

describe('median', () => {
  it('is the middle value, the mean of the middle two, or null for nothing', () => {
    expect(median([])).toBeNull();
    expect(median([7])).toBe(7);
    expect(median([9, 1, 5])).toBe(5);
    expect(median([10, 2, 4, 8])).toBe(6);
  });
});

describe('countBy', () => {
  it('lists every vocabulary word, counts others after them, and null as unknown', () => {
    expect(countBy(['b', 'x', 'b', null], ['a', 'b'])).toEqual({ a: 0, b: 2, x: 1, unknown: 1 });
    expect(Object.keys(countBy(['b'], ['a', 'b']))).toEqual(['a', 'b']);
  });
});

describe('periods', () => {
  it('runs from the first day to the end of the last day, UTC', () => {
    expect(periodOfDays('2026-01-01', '2026-12-31')).toEqual(periodOfYear(2026));
    expect(monthsOf(periodOfDays('2025-11-15', '2026-02-01'))).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
  });

  it('refuses days that do not exist and a period that ends before it starts, naming the field', () => {
    const fieldsOf = (from: string, to: string) => {
      try {
        periodOfDays(from, to);
      } catch (error) {
        expect(error).toBeInstanceOf(Invalid);
        return (error as Invalid).fields;
      }
      return undefined;
    };
    expect(fieldsOf('2026-02-30', '2026-03-01')).toEqual({ from: 'error.field.invalid' });
    expect(fieldsOf('2026-01-01', '31/12/2026')).toEqual({ to: 'error.field.invalid' });
    expect(fieldsOf('2026-03-01', '2026-02-01')).toEqual({ to: 'error.stats.period' });
  });
});

describe('buildStatistics', () => {
  const year = periodOfYear(2026);
  const random = seededRandom(11);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  const timeIn = () => year.start + Math.floor(random() * (year.end - year.start));
  const hour = 3_600_000;

  const rows: StatsRows = {
    reports: Array.from({ length: 200 }, () => ({
      category: pick(['csam', 'grooming', 'other']),
      receivedAt: timeIn(),
    })),
    items: Array.from({ length: 150 }, () => ({ firstReportedAt: timeIn() })),
    assessments: Array.from({ length: 41 }, (_, n) => {
      const firstReportedAt = timeIn();
      return {
        outcome: pick(['baseline', 'national', 'not_illegal', 'gone']),
        content: pick(['real_abuse', 'computer_generated', null]),
        siteType: pick(['forum', 'image_host', null]),
        hostingCountry: pick(['BE', 'NL', 'US', null]),
        firstReportedAt,
        decidedAt: firstReportedAt + (n + 1) * hour,
      };
    }),
  };
  const stats = buildStatistics(year, rows);

  it('counts reports by category and by month, the parts adding up to the total', () => {
    expect(stats.reports.total).toBe(200);
    expect(stats.reports.byCategory.csam).toBe(rows.reports.filter((r) => r.category === 'csam').length);
    expect(stats.reports.byCategory.sexting).toBe(0);
    expect(Object.keys(stats.reports.byMonth)).toHaveLength(12);
    const march = rows.reports.filter((r) => new Date(r.receivedAt).getUTCMonth() === 2).length;
    expect(stats.reports.byMonth['2026-03']).toBe(march);
    const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
    expect(sum(stats.reports.byMonth)).toBe(200);
    expect(sum(stats.reports.byCategory)).toBe(200);
    expect(sum(stats.items.byMonth)).toBe(150);
  });

  it('counts assessments by outcome and content, and hosting and site types of illegal content only', () => {
    const illegal = rows.assessments.filter((a) => a.outcome === 'baseline' || a.outcome === 'national');
    expect(stats.assessments.total).toBe(41);
    expect(stats.assessments.byLegalStatus.gone).toBe(rows.assessments.filter((a) => a.outcome === 'gone').length);
    expect(stats.assessments.byContent.unknown).toBe(rows.assessments.filter((a) => a.content === null).length);
    expect(stats.hostingCountries.BE ?? 0).toBe(illegal.filter((a) => a.hostingCountry === 'BE').length);
    expect(stats.hostingCountries.unknown ?? 0).toBe(illegal.filter((a) => a.hostingCountry === null).length);
    expect(stats.siteTypes.forum).toBe(illegal.filter((a) => a.siteType === 'forum').length);
  });

  it('gives the median time from first report to confirmation', () => {
    // The n-th assessment waited n + 1 hours: the median of 1..41 hours is 21 hours.
    expect(stats.timeToAssessment).toEqual({ count: 41, medianMs: 21 * hour });
  });
});

describe('buildForwardFigures', () => {
  const day = 86_400_000;
  const forward = (itemId: number, kind: ForwardRow['kind'], country: string | null, removedAt: number | null) => ({
    itemId,
    kind,
    country,
    firstReportedAt: 0,
    removedAt,
  });

  it('counts an item once for its removal, at the earliest of its forwards, and a reopened one as not removed', () => {
    const figures = buildForwardFigures([
      forward(1, 'police', null, 2 * day),
      forward(1, 'partner_hotline', 'NL', 5 * day),
      forward(2, 'partner_hotline', 'NL', 8 * day),
      // Reopened (still_online): no removal time.
      forward(3, 'police', null, null),
    ]);
    expect(figures.forwards).toEqual({
      total: 4,
      byDestinationType: { police: 2, partner_hotline: 2, hosting_provider: 0, interpol: 0 },
      byCountry: { none: 2, NL: 2 },
    });
    expect(figures.timeToRemoval).toEqual({
      items: 3,
      removed: 2,
      medianMs: 5 * day,
      within3Days: 0.5,
      within7Days: 0.5,
    });
  });

  it('gives no median or shares when nothing was removed', () => {
    expect(buildForwardFigures([forward(1, 'police', null, null)]).timeToRemoval).toEqual({
      items: 1,
      removed: 0,
      medianMs: null,
      within3Days: null,
      within7Days: null,
    });
  });
});
