import { useWorkspace } from '../context.ts';
import { useI18n } from '../i18n/index.ts';
import { ErrorMessage, useLoad } from '../ui.tsx';

/** The item's own trail: every audit event that names it (claims, views, assessments, ...). */
export function ItemHistory({ id }: { id: number }) {
  const { t, formatTime } = useI18n();
  const { api } = useWorkspace();
  const history = useLoad(() => api.audit(`item:${id}`), [id]);
  return (
    <section aria-labelledby="history">
      <h2 id="history">{t('item.history')}</h2>
      <ErrorMessage error={history.error} />
      {history.data?.events.length === 0 && <p>{t('item.historyEmpty')}</p>}
      {history.data && history.data.events.length > 0 && (
        <ol class="history">
          {history.data.events.map((event) => (
            <li key={event.seq}>
              <time dateTime={event.at}>{formatTime(event.at)}</time> · {event.actor} · <code>{event.action}</code>
            </li>
          ))}
        </ol>
      )}
      {history.data?.next !== null && history.data?.next !== undefined && <p>{t('item.historyMore')}</p>}
    </section>
  );
}
