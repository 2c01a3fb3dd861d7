import { useEffect, useRef } from 'preact/hooks';
import type { ItemDetail, Role } from '../api.ts';
import { useWorkspace } from '../context.ts';
import { type Lang, type Translate, taxonomyWord, useI18n } from '../i18n/index.ts';
import { ErrorMessage, ScreenTitle, useLoad } from '../ui.tsx';
import { Assessments } from './assessments.tsx';
import { ClusterSection } from './cluster.tsx';
import { DecisionForm } from './decision-form.tsx';
import { Evidence } from './evidence.tsx';
import { ItemHistory } from './item-history.tsx';
import { reportCategories } from './items-list.tsx';

/** One item: its reports, its evidence with safe views, the decision, and earlier assessments. */
export function ItemScreen({ id }: { id: number }) {
  const { t } = useI18n();
  const { api, claimed, user, next } = useWorkspace();
  const item = useLoad(() => api.item(id), [id]);
  const decided = useRef(false);

  // Leaving a claimed item without a decision releases the claim, so others get it at once.
  useEffect(
    () => () => {
      if (claimed.has(id) && !decided.current) api.release(id).catch(() => undefined);
      claimed.delete(id);
    },
    [api, claimed, id],
  );

  return (
    <>
      <ScreenTitle>{t('item.title', { id })}</ScreenTitle>
      <ErrorMessage error={item.error} />
      {item.data && (
        <div class="item-layout">
          <div>
            <p class="url">{item.data.url}</p>
            <Reports item={item.data} />
            <Evidence item={item.data} />
            {user.role !== 'analyst' && <ItemHistory id={id} />}
          </div>
          <div>
            <Assessments item={item.data} onDone={item.reload} />
            {mayDecide(item.data, user.role) ? (
              <DecisionForm
                item={item.data}
                onDecided={() => {
                  decided.current = true;
                }}
              >
                {(draft) =>
                  item.data && (
                    <ClusterSection
                      item={item.data}
                      draft={draft}
                      onApplied={(includesThis) => {
                        decided.current ||= includesThis;
                        if (includesThis) next().catch(() => undefined);
                      }}
                    />
                  )
                }
              </DecisionForm>
            ) : (
              <ClusterSection item={item.data} />
            )}
          </div>
        </div>
      )}
    </>
  );
}

/** Whether the server takes an assessment of the item from this role now (src/review/assessments.ts). */
function mayDecide(item: ItemDetail, role: Role): boolean {
  if (item.state === 'disputed') return role !== 'analyst';
  return !['to_confirm', 'decided', 'gone', 'triage'].includes(item.state);
}

function Reports({ item }: { item: ItemDetail }) {
  const { t, lang, formatTime } = useI18n();
  return (
    <section aria-labelledby="reports">
      <h2 id="reports">{t('item.reports', { count: item.reports.length })}</h2>
      <ul class="cards">
        {item.reports.map((report) => (
          <li key={report.id}>
            <dl>
              <dt>{t('item.report.received')}</dt>
              <dd>{formatTime(report.receivedAt)}</dd>
              <dt>{t('item.report.category')}</dt>
              <dd>{categoryName(t, report.category)}</dd>
              <dt>{t('item.report.siteType')}</dt>
              <dd>{siteTypeName(lang, report.siteType)}</dd>
              {report.description && (
                <>
                  <dt>{t('item.report.description')}</dt>
                  <dd>{report.description}</dd>
                </>
              )}
            </dl>
          </li>
        ))}
      </ul>
    </section>
  );
}

const categoryName = (t: Translate, category: string) => {
  const known = reportCategories.find((c) => c === category);
  return known ? t(`category.${known}`) : category;
};
const siteTypeName = (lang: Lang, siteType: string) => taxonomyWord(lang, 'siteType', siteType);
