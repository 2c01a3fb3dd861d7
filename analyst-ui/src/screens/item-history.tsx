import type { AuditEventView } from '../api.ts';
import { useI18n } from '../i18n/index.ts';

/** The newest events GET /items/:id gives (src/review/item-detail.ts). */
const historyLimit = 100;

/**
 * The item's own trail: every audit event that names it (claims, views, assessments, forwards...),
 * as GET /items/:id gives it to every role, newest first.
 */
export function ItemHistory({ events }: { events: AuditEventView[] }) {
  const { t, formatTime } = useI18n();
  return (
    <section aria-labelledby="history">
      <h2 id="history">{t('item.history')}</h2>
      {events.length === 0 ? (
        <p>{t('item.historyEmpty')}</p>
      ) : (
        <ol class="history">
          {events.map((event) => (
            <li key={event.seq}>
              <time dateTime={event.at}>{formatTime(event.at)}</time> · {event.actorName ?? event.actor} ·{' '}
              <code>{event.action}</code>
            </li>
          ))}
        </ol>
      )}
      {events.length >= historyLimit && <p>{t('item.historyMore')}</p>}
    </section>
  );
}
