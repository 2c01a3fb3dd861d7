import type { PeriodStatistics } from './statistics.ts';

/** One cell; quoted when it holds a separator, a quote or a line break (RFC 4180). */
const cell = (value: string | number) => {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/**
 * The figures as `section,key,value` lines, one per number, for spreadsheets. A figure not
 * recorded (null) is a line with an empty value, so its absence is visible.
 */
export function statisticsCsv(stats: PeriodStatistics): string {
  const lines: (string | number)[][] = [['section', 'key', 'value']];
  lines.push(['period', 'from', stats.period.from], ['period', 'to', stats.period.to]);
  const counts = (section: string, figures: Record<string, number>) => {
    for (const [key, value] of Object.entries(figures)) lines.push([section, key, value]);
  };
  lines.push(['reports', 'total', stats.reports.total]);
  counts('reports.byCategory', stats.reports.byCategory);
  counts('reports.byMonth', stats.reports.byMonth);
  lines.push(['items', 'total', stats.items.total]);
  counts('items.byMonth', stats.items.byMonth);
  lines.push(['assessments', 'total', stats.assessments.total]);
  counts('assessments.byLegalStatus', stats.assessments.byLegalStatus);
  counts('assessments.byContent', stats.assessments.byContent);
  counts('hostingCountries', stats.hostingCountries);
  counts('siteTypes', stats.siteTypes);
  lines.push(['timeToAssessment', 'count', stats.timeToAssessment.count]);
  lines.push(['timeToAssessment', 'medianMs', stats.timeToAssessment.medianMs ?? '']);
  lines.push(['forwards', 'total', stats.forwards.total]);
  counts('forwards.byDestinationType', stats.forwards.byDestinationType);
  counts('forwards.byCountry', stats.forwards.byCountry);
  const removal = stats.timeToRemoval;
  lines.push(['timeToRemoval', 'items', removal.items], ['timeToRemoval', 'removed', removal.removed]);
  lines.push(['timeToRemoval', 'medianMs', removal.medianMs ?? '']);
  lines.push(['timeToRemoval', 'within3Days', removal.within3Days ?? '']);
  lines.push(['timeToRemoval', 'within7Days', removal.within7Days ?? '']);
  return lines.map((line) => `${line.map(cell).join(',')}\r\n`).join('');
}
