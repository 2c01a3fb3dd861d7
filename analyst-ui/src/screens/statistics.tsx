import { useCallback, useMemo, useState } from 'preact/hooks';
import { useWorkspace } from '../context.ts';
import { type MessageKey, taxonomyWord, useI18n } from '../i18n/index.ts';
import { BarChart } from '../month-chart.tsx';
import { type StatsKey, statsTranslator } from '../stats-messages.ts';
import { type Statistics as Figures, largestFirst, topAndRest, yearCsvUrl } from '../stats-types.ts';
import { ErrorMessage, ScreenTitle, useLoad } from '../ui.tsx';
import './statistics.css';

const dayMs = 86_400_000;
/** The countries the printed page has room for; the rest are summed in one row. */
export const printedCountries = 8;

/** The year's figures: charts, tables, CSV download, and a one-page printable summary (supervisors). */
export function Statistics() {
  const { lang, t } = useI18n();
  const s = statsTranslator(lang);
  const { api } = useWorkspace();
  const [year, setYear] = useState(new Date().getUTCFullYear());
  const [draft, setDraft] = useState(String(year));
  const stats = useLoad(() => api.stats(year), [year]);
  const monthLabel = useCallback(
    (month: string) =>
      new Intl.DateTimeFormat(lang, { month: 'short', timeZone: 'UTC' }).format(new Date(`${month}-01`)),
    [lang],
  );
  const number = new Intl.NumberFormat(lang);
  const data = stats.data;
  const wait = data?.timeToAssessment.medianMs;
  const inDays = (ms: number | null | undefined) =>
    ms == null ? s('none') : s('days', { n: number.format(Math.round((ms / dayMs) * 10) / 10) });
  const percent = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 });
  const share = (value: number | null | undefined) => (value == null ? s('none') : percent.format(value));
  const word = (field: 'legalStatus' | 'content' | 'siteType') => (w: string) =>
    w === 'gone' ? t('item.gone') : taxonomyWord(lang, field, w);

  return (
    <div class="statistics">
      <ScreenTitle>{s('title')}</ScreenTitle>
      <form
        class="stats-controls"
        onSubmit={(e) => {
          e.preventDefault();
          if (/^\d{4}$/.test(draft)) setYear(Number(draft));
        }}
      >
        <label>
          {s('year')}{' '}
          <input type="number" min="2000" max="2999" value={draft} onInput={(e) => setDraft(e.currentTarget.value)} />
        </label>
        <button type="submit">{s('show')}</button>
        <a href={yearCsvUrl(year)} download>
          {s('csv')}
        </a>
        <button type="button" onClick={() => window.print()}>
          {s('print')}
        </button>
      </form>
      <ErrorMessage error={stats.error} />
      {data && (
        <section class="stats-summary" aria-labelledby="stats-summary-title">
          <h2 id="stats-summary-title">{s('summaryTitle', { year })}</h2>
          <dl class="stats-key-figures">
            <Figure label={s('reports')} value={number.format(data.reports.total)} />
            <Figure label={s('items')} value={number.format(data.items.total)} />
            <Figure label={s('assessments')} value={number.format(data.assessments.total)} />
            <Figure label={s('forwards')} value={number.format(data.forwards.total)} />
            <Figure label={s('medianWait')} value={inDays(wait)} />
            <Figure
              label={s('removedItems')}
              value={s('ofTotal', {
                n: number.format(data.timeToRemoval.removed),
                total: number.format(data.timeToRemoval.items),
              })}
            />
            <Figure label={s('medianRemoval')} value={inDays(data.timeToRemoval.medianMs)} />
            <Figure
              label={s('removedWithin')}
              value={s('percentPair', {
                a: share(data.timeToRemoval.within3Days),
                b: share(data.timeToRemoval.within7Days),
              })}
            />
          </dl>
          <Charts data={data} monthLabel={monthLabel} />
          <div class="stats-tables">
            <CountTable
              title={s('byMonth')}
              head={s('month')}
              counts={data.reports.byMonth}
              name={monthLabel}
              className="stats-month-table"
            />
            <CountTable
              title={s('itemsByMonth')}
              head={s('month')}
              counts={data.items.byMonth}
              name={monthLabel}
              className="stats-month-table"
            />
            <CountTable
              title={s('byCategory')}
              head={s('word')}
              counts={data.reports.byCategory}
              name={(w) => t(`category.${w}` as MessageKey)}
            />
            <CountTable
              title={s('byLegalStatus')}
              head={s('word')}
              counts={data.assessments.byLegalStatus}
              name={word('legalStatus')}
            />
            <CountTable
              title={s('byContent')}
              head={s('word')}
              counts={data.assessments.byContent}
              name={word('content')}
            />
            <CountTable
              title={s('hostingCountries')}
              head={s('country')}
              counts={data.hostingCountries}
              name={(c) => c}
              printTop={printedCountries}
            />
            <CountTable title={s('siteTypes')} head={s('word')} counts={data.siteTypes} name={word('siteType')} />
            <CountTable
              title={s('byDestinationType')}
              head={s('word')}
              counts={data.forwards.byDestinationType}
              name={(kind) => s(`destination_${kind}` as StatsKey)}
            />
            <CountTable
              title={s('forwardsByCountry')}
              head={s('country')}
              counts={data.forwards.byCountry}
              name={(c) => (c === 'none' ? s('noCountry') : c)}
              printTop={printedCountries}
            />
          </div>
        </section>
      )}
    </div>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

/** Reports per month, and where forwards went (the countries with most first). */
function Charts({ data, monthLabel }: { data: Figures; monthLabel: (month: string) => string }) {
  const { lang } = useI18n();
  const s = statsTranslator(lang);
  const months = useMemo(
    () => Object.entries(data.reports.byMonth).map(([month, n]) => [monthLabel(month), n] as const),
    [data, monthLabel],
  );
  const countries = useMemo(
    () =>
      largestFirst(data.forwards.byCountry)
        .filter(([country]) => country !== 'none')
        .slice(0, 12),
    [data],
  );
  return (
    <div class="stats-charts">
      <figure>
        <figcaption>{s('byMonth')}</figcaption>
        <BarChart bars={months} />
      </figure>
      {countries.length > 0 && (
        <figure>
          <figcaption>{s('forwardsByCountryChart')}</figcaption>
          <BarChart bars={countries} colour="#8c3b1f" />
        </figure>
      )}
    </div>
  );
}

interface CountTableProps {
  title: string;
  head: string;
  counts: Record<string, number>;
  name: (word: string) => string;
  className?: string;
  /** Largest first; on paper only the first `printTop` rows and one row for the rest. */
  printTop?: number;
}

function CountTable({ title, head, counts, name, className, printTop }: CountTableProps) {
  const { lang } = useI18n();
  const s = statsTranslator(lang);
  const number = new Intl.NumberFormat(lang);
  const rows = printTop === undefined ? Object.entries(counts) : largestFirst(counts);
  const printed = printTop === undefined ? null : topAndRest(counts, printTop);
  return (
    <table class={className}>
      <caption>{title}</caption>
      <thead>
        <tr>
          <th scope="col">{head}</th>
          <th scope="col">{s('count')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([key, n], index) => (
          <tr key={key} class={printed && index >= printed.top.length ? 'screen-only' : undefined}>
            {/* "I don't know", no content class, no known country: one word for all. */}
            <th scope="row">{key === 'unknown' ? s('unknown') : name(key)}</th>
            <td>{number.format(n)}</td>
          </tr>
        ))}
        {printed && printed.rest !== null && (
          <tr class="print-only">
            <th scope="row">{s('otherCountries', { n: number.format(rows.length - printed.top.length) })}</th>
            <td>{number.format(printed.rest)}</td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
