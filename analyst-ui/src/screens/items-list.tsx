import { useState } from 'preact/hooks';
import { type ItemFilters, type ItemSummary, type QueueName, queueNames } from '../api.ts';
import { useWorkspace } from '../context.ts';
import { taxonomyWord, taxonomyWordsOf, useI18n } from '../i18n/index.ts';
import { hrefOf } from '../router.ts';
import { ErrorMessage, ScreenTitle, useAction, useLoad } from '../ui.tsx';

/** Report categories as the public form names them (src/intake/schema.ts). */
export const reportCategories = ['csam', 'grooming', 'sexting', 'other'] as const;

/** The item list with filters and keyset pages; with `fixedState`, one queue (To confirm). */
export function ItemsList({ fixedState }: { fixedState?: QueueName }) {
  const { t, lang } = useI18n();
  const { api } = useWorkspace();
  const [draft, setDraft] = useState<ItemFilters>({});
  const [filters, setFilters] = useState<ItemFilters>({});
  const effective = fixedState ? { ...filters, state: fixedState } : filters;
  const first = useLoad(() => api.items(effective), [JSON.stringify(effective)]);
  const [more, setMore] = useState<{ items: ItemSummary[]; nextCursor: string | null } | null>(null);
  const paging = useAction();
  const items = [...(first.data?.items ?? []), ...(more?.items ?? [])];
  const cursor = more ? more.nextCursor : first.data?.nextCursor;

  const apply = (e: Event) => {
    e.preventDefault();
    setMore(null);
    setFilters(draft);
  };
  const loadMore = () =>
    paging.run(async () => {
      if (!cursor) return;
      const page = await api.items(effective, cursor);
      setMore({ items: [...(more?.items ?? []), ...page.items], nextCursor: page.nextCursor });
    });
  const field = (name: keyof ItemFilters) => ({
    value: draft[name] ?? '',
    onInput: (e: Event) => setDraft({ ...draft, [name]: (e.currentTarget as HTMLInputElement).value }),
  });

  return (
    <>
      <ScreenTitle>{t(fixedState ? 'toConfirm.title' : 'items.title')}</ScreenTitle>
      {fixedState && <p>{t('toConfirm.intro')}</p>}
      <form onSubmit={apply} class="filters" aria-label={t('items.filters')}>
        {!fixedState && (
          <label>
            {t('items.state')}
            <select {...field('state')}>
              <option value="">{t('items.any')}</option>
              {queueNames.map((q) => (
                <option key={q} value={q}>
                  {t(`queue.${q}`)}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          {t('items.category')}
          <select {...field('category')}>
            <option value="">{t('items.any')}</option>
            {reportCategories.map((c) => (
              <option key={c} value={c}>
                {t(`category.${c}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('items.siteType')}
          <select {...field('siteType')}>
            <option value="">{t('items.any')}</option>
            {taxonomyWordsOf('siteType').map((w) => (
              <option key={w} value={w}>
                {taxonomyWord(lang, 'siteType', w)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('items.country')}
          <input size={3} maxLength={2} pattern="[A-Za-z]{2}" {...field('country')} />
        </label>
        <label>
          {t('items.matched')}
          <select {...field('matched')}>
            <option value="">{t('items.any')}</option>
            <option value="yes">{t('items.yes')}</option>
            <option value="no">{t('items.no')}</option>
          </select>
        </label>
        <label>
          {t('items.from')}
          <input type="date" {...field('from')} />
        </label>
        <label>
          {t('items.to')}
          <input type="date" {...field('to')} />
        </label>
        <button type="submit">{t('items.apply')}</button>
      </form>
      <ErrorMessage error={first.error ?? paging.error} />
      {first.data && items.length === 0 && <p role="status">{t('items.none')}</p>}
      {items.length > 0 && <ItemTable items={items} />}
      {cursor && (
        <button type="button" disabled={paging.busy} onClick={loadMore}>
          {t('items.more')}
        </button>
      )}
    </>
  );
}

function ItemTable({ items }: { items: ItemSummary[] }) {
  const { t, formatTime } = useI18n();
  return (
    <div class="table-scroll">
      <table>
        <thead>
          <tr>
            <th scope="col">{t('items.col.id')}</th>
            <th scope="col">{t('items.col.url')}</th>
            <th scope="col">{t('items.col.state')}</th>
            <th scope="col">{t('items.col.priority')}</th>
            <th scope="col">{t('items.col.country')}</th>
            <th scope="col">{t('items.col.created')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.id}>
              <th scope="row">
                <a href={hrefOf({ name: 'item', id: item.id })}>{t('item.title', { id: item.id })}</a>
              </th>
              <td class="url">{item.url}</td>
              <td>
                {t(`queue.${item.state}`)}
                {item.claim && (
                  <>
                    <br />
                    {t('item.claimedBy', { name: item.claim.username ?? '—', until: formatTime(item.claim.until) })}
                  </>
                )}
              </td>
              <td>{item.priority}</td>
              <td>{item.country ?? '—'}</td>
              <td>{formatTime(item.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
