import type { ItemDetail, Label, Match, Medium } from '../api.ts';
import { type Lang, taxonomyWord, useI18n } from '../i18n/index.ts';
import { codeWord } from '../i18n/item-words.ts';
import { hrefOf } from '../router.ts';
import { SafeView } from './safe-view.tsx';

/**
 * Each medium with its signals, matches and their source, hosting, fetch problems, and duplicates.
 * `onGone` records the `gone` outcome (offered when a view finds the content gone).
 */
export function Evidence({ item, onGone }: { item: ItemDetail; onGone?: () => void }) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="evidence">
      <h2 id="evidence">{t('item.evidence')}</h2>
      {item.fetchError && (
        <p class="warning">{t('item.fetchError', { error: codeWord(t, 'reason', item.fetchError) })}</p>
      )}
      {item.skipped.map((s) => (
        <p key={s.url} class="warning">
          <span class="url">{s.url}</span> {t('item.skipped', { reason: codeWord(t, 'reason', s.reason) })}
        </p>
      ))}
      <ul class="cards">
        {item.media.map((medium, index) => (
          <li key={medium.n}>
            <MediumCard
              itemId={item.id}
              medium={medium}
              first={index === 0}
              known={item.state === 'known'}
              onGone={onGone}
            />
          </li>
        ))}
      </ul>
    </section>
  );
}

const exactTypes = ['sha256', 'sha1', 'md5'];

function MediumCard({
  itemId,
  medium,
  first,
  known,
  onGone,
}: {
  itemId: number;
  medium: Medium;
  first: boolean;
  known: boolean;
  onGone?: () => void;
}) {
  const { t, lang } = useI18n();
  const headingId = `medium-${medium.n}`;
  return (
    <article aria-labelledby={headingId}>
      <h3 id={headingId}>{t('item.medium', { n: medium.n })}</h3>
      <p class="url">{medium.url}</p>
      {medium.hosting && (
        <p>
          {t('item.hosting', {
            address: medium.hosting.address,
            country: medium.hosting.country ?? '—',
            network: medium.hosting.network ?? '—',
          })}
        </p>
      )}
      {medium.tlsInvalid && <p class="warning">{t('item.tlsInvalid')}</p>}
      {medium.skipped && <p class="warning">{t('item.skipped', { reason: codeWord(t, 'reason', medium.skipped) })}</p>}
      <h4>{t('item.matches')}</h4>
      {medium.matches.length === 0 ? (
        <p>{t('item.noMatch')}</p>
      ) : (
        <ul>
          {medium.matches.map((m) => (
            <li key={`${m.entryId}-${m.signalType}-${m.variant}`}>
              {t('item.match', {
                bank: m.bank,
                label: labelText(lang, m.label),
                distance: m.distance,
                signal: m.signalType,
                variant: codeWord(t, 'variant', m.variant),
              })}{' '}
              <MatchSource match={m} />
            </li>
          ))}
        </ul>
      )}
      {medium.duplicates.length > 0 && (
        <p>
          {t('item.duplicates')}{' '}
          {medium.duplicates.map((d) => (
            <a key={d.itemId} href={hrefOf({ name: 'item', id: d.itemId })}>
              {t('item.title', { id: d.itemId })}{' '}
            </a>
          ))}
        </p>
      )}
      {medium.mediaType.startsWith('video/') ? (
        <VideoHashes medium={medium} />
      ) : (
        !medium.skipped && <SafeView itemId={itemId} n={medium.n} shortcut={first} known={known} onGone={onGone} />
      )}
      <details>
        <summary>{t('item.signals')}</summary>
        <dl class="signals">
          {medium.signals.map((s) => (
            <div key={s.type}>
              <dt>{s.type}</dt>
              <dd>
                <code>{s.value}</code>
              </dd>
            </div>
          ))}
        </dl>
      </details>
    </article>
  );
}

export function labelText(lang: Lang, label: Label): string {
  const parts = [
    label.legalStatus && taxonomyWord(lang, 'legalStatus', label.legalStatus),
    label.content && taxonomyWord(lang, 'content', label.content),
  ];
  return parts.filter(Boolean).join(', ') || '—';
}

/** Videos are never streamed through the workspace: only their exact hashes, for the isolated viewer. */
function VideoHashes({ medium }: { medium: Medium }) {
  const { t } = useI18n();
  return (
    <div>
      <p>{t('item.video')}</p>
      {medium.viewerUrl && (
        <p>
          <a href={medium.viewerUrl} target="_blank" rel="noopener noreferrer">
            {t('item.videoViewer')}
          </a>
        </p>
      )}
      <ul>
        {medium.signals
          .filter((s) => exactTypes.includes(s.type))
          .map((s) => (
            <li key={s.type}>
              {s.type}: <code>{s.value}</code>
            </li>
          ))}
      </ul>
    </div>
  );
}

/** Where a match's bank entry comes from: the assessment of ours (linked to its item), or an import. */
function MatchSource({ match }: { match: Match }) {
  const { t } = useI18n();
  if (match.sourceAssessmentId !== null) {
    return (
      <>
        {t('item.matchSourceAssessment', { assessment: match.sourceAssessmentId })}{' '}
        {match.sourceItemId !== null ? (
          <a href={hrefOf({ name: 'item', id: match.sourceItemId })}>{t('item.title', { id: match.sourceItemId })}</a>
        ) : (
          '—'
        )}
      </>
    );
  }
  return <>{t('item.matchSourceImport', { ref: match.sourceRef ?? '—' })}</>;
}
