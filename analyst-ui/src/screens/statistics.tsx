import { useCallback, useState } from 'preact/hooks';
import { useWorkspace } from '../context.ts';
import { type MessageKey, taxonomyWord, useI18n } from '../i18n/index.ts';
import { MonthChart } from '../month-chart.tsx';
import { type StatsKey, statsTranslator } from '../stats-messages.ts';
import { yearCsvUrl } from '../stats-types.ts';
import { ErrorMessage, ScreenTitle, useLoad } from '../ui.tsx';
import './statistics.css';

const dayMs = 86_400_000;

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
  const removal = data?.timeToRemoval;
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
            <Figure label={s('medianWait')} value={inDays(wait)} />
            <Figure label={s('medianRemoval')} value={inDays(removal?.medianMs)} />
            <Figure
              label={s('removedWithin')}
              value={s('percentPair', { a: share(removal?.within3Days), b: share(removal?.within7Days) })}
            />
          </dl>
          <figure>
            <figcaption>{s('byMonth')}</figcaption>
            <MonthChart byMonth={data.reports.byMonth} monthLabel={monthLabel} />
          </figure>
          <div class="stats-tables">
            <CountTable
              title={s('byMonth')}
              head={s('month')}
              counts={data.reports.byMonth}
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
            <CountTable title={s('hostingCountries')} head={s('word')} counts={data.hostingCountries} name={(c) => c} />
            <CountTable title={s('siteTypes')} head={s('word')} counts={data.siteTypes} name={word('siteType')} />
            <CountTable
              title={s('byDestinationType')}
              head={s('word')}
              counts={data.forwards.byDestinationType}
              name={(kind) => s(`destination_${kind}` as StatsKey)}
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

interface CountTableProps {
  title: string;
  head: string;
  counts: Record<string, number>;
  name: (word: string) => string;
  className?: string;
}

function CountTable({ title, head, counts, name, className }: CountTableProps) {
  const { lang } = useI18n();
  const s = statsTranslator(lang);
  const number = new Intl.NumberFormat(lang);
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
        {Object.entries(counts).map(([key, n]) => (
          <tr key={key}>
            {/* "I don't know", no content class, no known country: one word for all. */}
            <th scope="row">{key === 'unknown' ? s('unknown') : name(key)}</th>
            <td>{number.format(n)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
