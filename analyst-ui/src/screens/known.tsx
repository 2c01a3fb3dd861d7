import { useState } from 'preact/hooks';
import { parseLabel } from '../api.ts';
import { confirmKnown, type KnownItem, type KnownMatch, knownQueue } from '../cluster-api.ts';
import { useWorkspace } from '../context.ts';
import { useI18n } from '../i18n/index.ts';
import { hrefOf } from '../router.ts';
import { ErrorMessage, ScreenTitle, useAction, useLoad } from '../ui.tsx';
import { labelText } from './evidence.tsx';

/**
 * The `known` queue: items whose every medium matched a confirmed assessment of ours. A supervisor
 * confirms the suggestion from the signals, distances and source alone, in bulk: this screen shows
 * no picture and requests no view.
 */
export function KnownQueue() {
  const { t } = useI18n();
  const { api } = useWorkspace();
  const [round, setRound] = useState(0);
  const [cursor, setCursor] = useState<number | undefined>();
  const page = useLoad(() => knownQueue(api, cursor), [cursor, round]);
  const [ticked, setTicked] = useState<ReadonlySet<number>>(new Set());
  const [comment, setComment] = useState('');
  const [done, setDone] = useState('');
  const confirm = useAction();
  const items = page.data?.items ?? [];

  const toggle = (id: number, on: boolean) => {
    const next = new Set(ticked);
    if (on) next.add(id);
    else next.delete(id);
    setTicked(next);
  };
  const submit = (e: Event) => {
    e.preventDefault();
    const itemIds = items.filter((i) => ticked.has(i.id)).map((i) => i.id);
    if (itemIds.length === 0) return;
    confirm.run(async () => {
      const answer = await confirmKnown(api, itemIds, comment);
      setDone(
        answer.requeued.length > 0
          ? t('known.confirmedAndRequeued', { count: answer.assessments.length, requeued: answer.requeued.length })
          : t('known.confirmed', { count: answer.assessments.length }),
      );
      setTicked(new Set());
      setComment('');
      setRound((r) => r + 1);
    });
  };
  const tickedCount = items.filter((i) => ticked.has(i.id)).length;

  return (
    <>
      <ScreenTitle>{t('known.title')}</ScreenTitle>
      <p>{t('known.intro')}</p>
      <ErrorMessage error={page.error} />
      {done && (
        <p role="status" class="notice">
          {done}
        </p>
      )}
      {page.data && items.length === 0 && <p>{t('known.empty')}</p>}
      {items.length > 0 && (
        <form onSubmit={submit} aria-labelledby="known-list">
          <h2 id="known-list">{t('known.list', { count: items.length })}</h2>
          <div class="buttons">
            <button type="button" onClick={() => setTicked(new Set(items.map((i) => i.id)))}>
              {t('known.tickAll')}
            </button>
            <button type="button" onClick={() => setTicked(new Set())}>
              {t('known.untickAll')}
            </button>
          </div>
          <ul class="cards">
            {items.map((item) => (
              <li key={item.id}>
                <KnownCard item={item} ticked={ticked.has(item.id)} onTick={(on) => toggle(item.id, on)} />
              </li>
            ))}
          </ul>
          <label class="wide">
            {t('item.comment')}
            <textarea value={comment} onInput={(e) => setComment(e.currentTarget.value)} />
          </label>
          <ErrorMessage error={confirm.error} />
          <div class="buttons">
            <button
              type="submit"
              class="primary"
              disabled={confirm.busy || tickedCount === 0}
              aria-describedby={tickedCount === 0 ? 'known-reason' : undefined}
            >
              {t('known.confirm', { count: tickedCount })}
            </button>
            {tickedCount === 0 && (
              <p id="known-reason" class="reason">
                {t('known.noneTicked')}
              </p>
            )}
          </div>
        </form>
      )}
      {page.data?.next && (
        <button type="button" onClick={() => setCursor(page.data?.next ?? undefined)}>
          {t('known.more')}
        </button>
      )}
    </>
  );
}

function KnownCard({ item, ticked, onTick }: { item: KnownItem; ticked: boolean; onTick: (on: boolean) => void }) {
  const { t, lang, formatTime } = useI18n();
  const headingId = `known-${item.id}`;
  const suggestion = item.suggestion;
  return (
    <article aria-labelledby={headingId}>
      <h3 id={headingId}>
        <a href={hrefOf({ name: 'item', id: item.id })}>{t('item.title', { id: item.id })}</a>
      </h3>
      <p class="url">{item.url}</p>
      <label class="tick">
        <input type="checkbox" checked={ticked} onChange={(e) => onTick(e.currentTarget.checked)} />{' '}
        {t('known.tick', { id: item.id })}
      </label>
      <dl>
        <dt>{t('known.suggested')}</dt>
        <dd>
          {suggestion
            ? labelText(lang, { legalStatus: suggestion.legalStatus, content: suggestion.content })
            : t('known.noSuggestion')}
        </dd>
        {suggestion && (
          <>
            <dt>{t('known.source')}</dt>
            <dd>{sourceText(t, suggestion.bank, suggestion.bankEntryId, suggestion.sourceAssessmentId)}</dd>
          </>
        )}
        <dt>{t('item.report.received')}</dt>
        <dd>
          {formatTime(item.firstReportedAt)} · {t('known.reports', { count: item.reportCount })}
        </dd>
      </dl>
      {item.media.map((medium) => (
        <section key={medium.n} aria-labelledby={`${headingId}-${medium.n}`}>
          <h4 id={`${headingId}-${medium.n}`}>{t('known.medium', { n: medium.n, type: medium.mediaType })}</h4>
          <ul>
            {medium.matches.map((match) => (
              <li key={`${match.entryId}-${match.signalType}-${match.variant}`}>
                <MatchLine match={match} />
              </li>
            ))}
          </ul>
          <details>
            <summary>{t('item.signals')}</summary>
            <dl class="signals">
              {(['sha256', 'sha1', 'md5', 'pdq', 'blockhash'] as const).map((type) =>
                medium[type] ? (
                  <div key={type}>
                    <dt>{type === 'pdq' ? `pdq (${t('known.quality', { q: medium.pdqQuality ?? 0 })})` : type}</dt>
                    <dd>
                      <code>{medium[type]}</code>
                    </dd>
                  </div>
                ) : null,
              )}
            </dl>
          </details>
        </section>
      ))}
    </article>
  );
}

function MatchLine({ match }: { match: KnownMatch }) {
  const { t, lang } = useI18n();
  return (
    <>
      {t('known.match', {
        signal: match.signalType,
        distance: match.distance,
        variant: match.variant ?? t('known.asIs'),
        label: labelText(lang, parseLabel(match.label)),
      })}{' '}
      {sourceText(t, match.bank, match.entryId, match.sourceAssessmentId)}
    </>
  );
}

function sourceText(
  t: ReturnType<typeof useI18n>['t'],
  bank: string,
  entryId: number,
  assessmentId: number | null,
): string {
  return assessmentId === null
    ? t('known.fromEntry', { bank, entry: entryId })
    : t('known.fromAssessment', { bank, entry: entryId, assessment: assessmentId });
}
