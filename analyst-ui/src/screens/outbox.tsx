import { useState } from 'preact/hooks';
import { type ForwardState, type ForwardView, forwardStates, type OutboxFilter } from '../admin-types.ts';
import { exportUrl } from '../api.ts';
import { useWorkspace } from '../context.ts';
import { useI18n } from '../i18n/index.ts';
import { hrefOf } from '../router.ts';
import { ErrorMessage, ScreenTitle, useAction, useLoad } from '../ui.tsx';

const filters: OutboxFilter[] = ['failed', 'overdue', ...forwardStates.filter((s) => s !== 'failed')];

/** The forwards that wait, failed or are overdue; a supervisor records what became of each; exports. */
export function OutboxScreen() {
  const { t } = useI18n();
  const { api } = useWorkspace();
  const [filter, setFilter] = useState<OutboxFilter | ''>('');
  const outbox = useLoad(() => api.outbox(filter), [filter]);
  const action = useAction();
  const [recorded, setRecorded] = useState('');
  const counts = outbox.data?.counts;
  const record = (id: number, change: { state: ForwardState; receiverReference?: string }) =>
    action.run(async () => {
      setRecorded('');
      const { forward } = await api.recordForward(id, change);
      setRecorded(t('outbox.recorded', { id: forward.id, state: t(`forward.${forward.state}`) }));
      outbox.reload();
    });
  return (
    <>
      <ScreenTitle>{t('outbox.title')}</ScreenTitle>
      <ErrorMessage error={outbox.error ?? action.error} />
      {counts && counts.failed > 0 && (
        <p class="error loud" role="alert">
          {t('outbox.failedAlert', { count: counts.failed })}
        </p>
      )}
      {counts && counts.overdue > 0 && (
        <p class="warning loud" role="alert">
          {t('outbox.overdueAlert', { count: counts.overdue })}
        </p>
      )}
      {counts && (
        <section aria-labelledby="outbox-counts">
          <h2 id="outbox-counts">{t('outbox.counts')}</h2>
          <dl class="counts">
            {filters.map((state) => (
              <div key={state} class={(state === 'failed' || state === 'overdue') && counts[state] > 0 ? 'alarm' : ''}>
                <dt>{t(`forward.${state}`)}</dt>
                <dd>{counts[state]}</dd>
              </div>
            ))}
          </dl>
        </section>
      )}
      <div class="filters">
        <label>
          {t('outbox.show')}
          <select value={filter} onChange={(e) => setFilter(e.currentTarget.value as OutboxFilter | '')}>
            <option value="">{t('outbox.open')}</option>
            {filters.map((state) => (
              <option key={state} value={state}>
                {t(`forward.${state}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {recorded && (
        <p role="status" class="notice">
          {recorded}
        </p>
      )}
      {outbox.data && outbox.data.forwards.length === 0 && <p>{t('outbox.none')}</p>}
      {outbox.data && outbox.data.forwards.length > 0 && (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('outbox.col.item')}</th>
                <th scope="col">{t('outbox.col.destination')}</th>
                <th scope="col">{t('outbox.col.state')}</th>
                <th scope="col">{t('outbox.col.since')}</th>
                <th scope="col">{t('outbox.col.reference')}</th>
                <th scope="col">{t('outbox.col.record')}</th>
              </tr>
            </thead>
            <tbody>
              {outbox.data.forwards.map((forward) => (
                <ForwardRow key={forward.id} forward={forward} busy={action.busy} onRecord={record} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ExportLink />
    </>
  );
}

interface RowProps {
  forward: ForwardView;
  busy: boolean;
  onRecord: (id: number, change: { state: ForwardState; receiverReference?: string }) => void;
}

function ForwardRow({ forward, busy, onRecord }: RowProps) {
  const { t, formatTime } = useI18n();
  const [state, setState] = useState<ForwardState | undefined>(forward.nextStates[0]);
  const [reference, setReference] = useState('');
  const loud = forward.state === 'failed' || forward.overdue;
  const submit = (e: Event) => {
    e.preventDefault();
    if (!state) return;
    onRecord(forward.id, { state, ...(reference.trim() ? { receiverReference: reference.trim() } : {}) });
  };
  const ids = { id: forward.id };
  return (
    <tr class={loud ? 'alarm' : undefined}>
      <th scope="row">
        <a href={hrefOf({ name: 'item', id: forward.itemId })} class="url">
          {forward.url}
        </a>
      </th>
      <td>{forward.destination.name}</td>
      <td>
        {t(`forward.${forward.state}`)}
        {forward.overdue && <strong> ({t('outbox.overdue')})</strong>}
      </td>
      <td>{formatTime(forward.createdAt)}</td>
      <td>{forward.receiverReference ?? ''}</td>
      <td>
        {forward.nextStates.length > 0 && (
          <form onSubmit={submit} class="inline">
            <select
              aria-label={t('outbox.newState', ids)}
              value={state}
              onChange={(e) => setState(forward.nextStates.find((s) => s === e.currentTarget.value))}
            >
              {forward.nextStates.map((s) => (
                <option key={s} value={s}>
                  {t(`forward.${s}`)}
                </option>
              ))}
            </select>
            <input
              aria-label={t('outbox.reference', ids)}
              value={reference}
              maxLength={200}
              onInput={(e) => setReference(e.currentTarget.value)}
            />
            <button type="submit" disabled={busy} aria-label={t('outbox.record', ids)}>
              {t('outbox.col.record')}
            </button>
          </form>
        )}
      </td>
    </tr>
  );
}

/** The signed package for law enforcement, as `hotline export` writes it: a plain download link. */
function ExportLink() {
  const { t } = useI18n();
  const [to, setTo] = useState<'police' | 'interpol' | 'partner'>('police');
  const [country, setCountry] = useState('');
  const [since, setSince] = useState(() => `${new Date().getUTCFullYear()}-01-01`);
  const target = to === 'partner' ? `partner:${country.trim().toUpperCase()}` : to;
  return (
    <section aria-labelledby="outbox-export">
      <h2 id="outbox-export">{t('outbox.export')}</h2>
      <p>{t('outbox.exportIntro')}</p>
      <div class="row">
        <label>
          {t('outbox.exportTo')}
          <select value={to} onChange={(e) => setTo(e.currentTarget.value as typeof to)}>
            {(['police', 'interpol', 'partner'] as const).map((value) => (
              <option key={value} value={value}>
                {t(`outbox.to.${value}`)}
              </option>
            ))}
          </select>
        </label>
        {to === 'partner' && (
          <label>
            {t('outbox.exportPartner')}
            <input
              value={country}
              maxLength={2}
              autocomplete="off"
              onInput={(e) => setCountry(e.currentTarget.value)}
            />
          </label>
        )}
        <label>
          {t('outbox.exportSince')}
          <input type="date" value={since} onInput={(e) => setSince(e.currentTarget.value)} />
        </label>
      </div>
      <p>
        <a href={exportUrl(target, since)} download>
          {t('outbox.exportLink')}
        </a>
      </p>
    </section>
  );
}
