import { useEffect, useRef, useState } from 'preact/hooks';
import type { ItemDetail, ReportView, Role } from '../api.ts';
import { useWorkspace } from '../context.ts';
import { type Lang, type Translate, taxonomyWord, useI18n } from '../i18n/index.ts';
import { revealContact, sendOnLeave } from '../item-api.ts';
import { ErrorMessage, ScreenTitle, useAction, useLoad } from '../ui.tsx';
import { Assessments } from './assessments.tsx';
import { ClusterSection } from './cluster.tsx';
import { DecisionForm } from './decision-form.tsx';
import { Evidence } from './evidence.tsx';
import { ItemForwards } from './item-forwards.tsx';
import { ItemHistory } from './item-history.tsx';
import { reportCategories } from './items-list.tsx';

/** One item: its reports, its evidence with safe views, the decision, and earlier assessments. */
export function ItemScreen({ id }: { id: number }) {
  const { t, formatTime } = useI18n();
  const { api, claimed, user, next } = useWorkspace();
  const item = useLoad(() => api.item(id), [id]);
  const decided = useRef(false);
  const gone = useAction();

  // Leaving a claimed item without a decision releases the claim, so others get it at once: by
  // navigating in the app, and by closing the tab or going elsewhere (a request that outlives the page).
  useEffect(() => {
    const onLeave = () => {
      if (claimed.has(id) && !decided.current) sendOnLeave(api, `/items/${id}/release`, {});
    };
    addEventListener('pagehide', onLeave);
    return () => {
      removeEventListener('pagehide', onLeave);
      if (claimed.has(id) && !decided.current) api.release(id).catch(() => undefined);
      claimed.delete(id);
    };
  }, [api, claimed, id]);

  const claim = item.data?.claim;
  const claimText = claim
    ? t(claim.userId === user.id ? 'item.claimedBy' : 'item.claimedByOther', {
        name: claim.username ?? '—',
        until: formatTime(claim.until),
      })
    : undefined;
  const lockedBy = claim && claim.userId !== user.id ? claimText : undefined;
  const recordGone =
    item.data && mayDecide(item.data, user.role) && !lockedBy
      ? () =>
          gone.run(async () => {
            await api.assess(id, { outcome: 'gone' });
            decided.current = true;
            await next();
          })
      : undefined;

  return (
    <>
      <ScreenTitle>{t('item.title', { id })}</ScreenTitle>
      <ErrorMessage error={item.error} />
      {item.data && (
        <div class="item-layout">
          <div>
            <p class="url">{item.data.url}</p>
            {claimText && (
              <p class="notice" role="status">
                {claimText}
              </p>
            )}
            <ErrorMessage error={gone.error} />
            <Reports item={item.data} />
            <Evidence item={item.data} onGone={recordGone} />
            <ItemForwards forwards={item.data.forwards} />
            <ItemHistory events={item.data.history} />
          </div>
          <div>
            <Assessments item={item.data} onDone={item.reload} />
            {mayDecide(item.data, user.role) ? (
              <DecisionForm
                item={item.data}
                lockedBy={lockedBy}
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

/** Whether the screen offers this role the decision form (the server checks again: src/review/assessments.ts). */
function mayDecide(item: ItemDetail, role: Role): boolean {
  // Known items are confirmed from their signals (the Known screen); disputed ones by supervisors.
  if (item.state === 'disputed' || item.state === 'known') return role !== 'analyst';
  return !['to_confirm', 'decided', 'gone', 'triage'].includes(item.state);
}

function Reports({ item }: { item: ItemDetail }) {
  const { t, lang, formatTime } = useI18n();
  const { user } = useWorkspace();
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
            {user.role !== 'analyst' && <Contact report={report} />}
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

/** The reporter's contact address, only on request: the server audits each reveal. */
function Contact({ report }: { report: ReportView }) {
  const { t } = useI18n();
  const { api } = useWorkspace();
  const [contact, setContact] = useState<string | null | undefined>();
  const { error, busy, run } = useAction();
  if (contact !== undefined) {
    return (
      <p>
        {t('item.contact')}: {contact ?? t('item.noContact')}
      </p>
    );
  }
  return (
    <>
      <ErrorMessage error={error} />
      <button
        type="button"
        disabled={busy}
        onClick={() => run(async () => setContact((await revealContact(api, report.id)).contact))}
      >
        {t('item.showContact')}
      </button>
    </>
  );
}
