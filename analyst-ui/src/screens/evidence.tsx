import { useState } from 'preact/hooks';
import { type ItemDetail, type Label, type Medium, safeViewUrl } from '../api.ts';
import { blurSteps } from '../decision.ts';
import { type Lang, taxonomyWord, useI18n } from '../i18n/index.ts';
import { hrefOf } from '../router.ts';

/** Each medium with its signals, matches and their source, hosting, fetch problems, and duplicates. */
export function Evidence({ item }: { item: ItemDetail }) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="evidence">
      <h2 id="evidence">{t('item.evidence')}</h2>
      {item.fetchError && <p class="warning">{t('item.fetchError', { error: item.fetchError })}</p>}
      {item.skipped.map((s) => (
        <p key={s.url} class="warning">
          <span class="url">{s.url}</span> {t('item.skipped', { reason: s.reason })}
        </p>
      ))}
      <ul class="cards">
        {item.media.map((medium, index) => (
          <li key={medium.n}>
            <MediumCard itemId={item.id} medium={medium} first={index === 0} />
          </li>
        ))}
      </ul>
    </section>
  );
}

const exactTypes = ['sha256', 'sha1', 'md5'];

function MediumCard({ itemId, medium, first }: { itemId: number; medium: Medium; first: boolean }) {
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
      {medium.skipped && <p class="warning">{t('item.skipped', { reason: medium.skipped })}</p>}
      <h4>{t('item.matches')}</h4>
      {medium.matches.length === 0 ? (
        <p>{t('item.noMatch')}</p>
      ) : (
        <ul>
          {medium.matches.map((m) => (
            <li key={`${m.bank}-${m.signalType}-${m.variant}`}>
              {t('item.match', {
                bank: m.bank,
                label: labelText(lang, m.label),
                distance: m.distance,
                signal: m.signalType,
                variant: m.variant,
                source: m.source,
              })}
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
        !medium.skipped && <SafeView itemId={itemId} n={medium.n} shortcut={first} />
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

/**
 * The server-side blurred, greyscale view. Nothing is shown until asked for; each step lower is a
 * new request (and a new audited view). An <img> from /api/v1 (same origin) is all the CSP allows.
 */
function SafeView({ itemId, n, shortcut }: { itemId: number; n: number; shortcut: boolean }) {
  const { t } = useI18n();
  const [step, setStep] = useState<number | undefined>();
  const [failed, setFailed] = useState(false);
  if (step === undefined) {
    return (
      <button type="button" onClick={() => setStep(0)} data-shortcut={shortcut ? 'b' : undefined}>
        {t('item.showView')}
      </button>
    );
  }
  const blur = blurSteps[step] ?? 0;
  const lower = step + 1 < blurSteps.length;
  return (
    <figure class="safe-view">
      {failed ? (
        <p role="alert" class="warning">
          {t('item.viewProblem')}
        </p>
      ) : (
        <img src={safeViewUrl(itemId, n, blur)} alt={t('item.viewAlt', { n, blur })} onError={() => setFailed(true)} />
      )}
      <figcaption>
        {t('item.blurLevel', { blur })}{' '}
        {lower && !failed && (
          <button
            type="button"
            onClick={() => setStep(step + 1)}
            data-shortcut={shortcut ? 'b' : undefined}
            aria-keyshortcuts={shortcut ? 'b' : undefined}
          >
            {t('item.lowerBlur')}
          </button>
        )}
      </figcaption>
    </figure>
  );
}
