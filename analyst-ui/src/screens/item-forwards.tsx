import type { ItemForward } from '../api.ts';
import { type MessageKey, type Translate, useI18n } from '../i18n/index.ts';
import { codeWord } from '../i18n/item-words.ts';

/** Where the item was sent after its confirmation, with each forward's state, times and reasons. */
export function ItemForwards({ forwards }: { forwards: ItemForward[] }) {
  const { t, formatTime } = useI18n();
  if (forwards.length === 0) return null;
  const time = (key: MessageKey, at: string | null) => (at ? [t(key, { at: formatTime(at) })] : []);
  return (
    <section aria-labelledby="forwards">
      <h2 id="forwards">{t('item.forwards')}</h2>
      <ul class="cards">
        {forwards.map((forward) => (
          <li key={forward.id}>
            <p>
              <strong>
                {t('item.forwardTo', {
                  destination: forward.destination.name,
                  kind: codeWord(t, 'destination', forward.destination.kind),
                  state: stateWord(t, forward.state),
                })}
              </strong>
            </p>
            <p>
              {[
                ...time('item.forwardCreated', forward.createdAt),
                ...time('item.forwardSent', forward.sentAt),
                ...time('item.forwardAcknowledged', forward.acknowledgedAt),
                ...time('item.forwardRemoved', forward.removedAt),
              ].join(', ')}
            </p>
            {forward.receiverReference && <p>{t('item.forwardReference', { reference: forward.receiverReference })}</p>}
            <p>{t('item.forwardWhy')}</p>
            <ul>
              {forward.reasons.map((reason) => (
                <li key={`${reason.code}-${reason.what}`}>{reasonText(t, reason)}</li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </section>
  );
}

const forwardStateKeys = ['pending', 'sent', 'acknowledged', 'removed', 'still_online', 'failed'];
const stateWord = (t: Translate, state: string) =>
  forwardStateKeys.includes(state) ? t(`forward.${state}` as MessageKey) : state;

const routeCodes = [
  'hosted_home',
  'partner_country',
  'no_partner',
  'hosting_unknown',
  'police_informed',
  'provider_notice',
];

/** One routing reason in words: `medium:2` is "medium 2", `page` "the page". */
function reasonText(t: Translate, reason: ItemForward['reasons'][number]): string {
  if (!routeCodes.includes(reason.code)) return reason.code;
  const medium = /^medium:(\d+)$/.exec(reason.what);
  const what = medium ? t('where.medium', { n: medium[1] ?? '' }) : t('where.page');
  return t(`route.${reason.code}` as MessageKey, {
    what,
    country: reason.country ?? '—',
    asn: reason.asn ?? '—',
  });
}
