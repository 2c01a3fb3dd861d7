import { queueNames } from '../api.ts';
import { useWorkspace } from '../context.ts';
import { useI18n } from '../i18n/index.ts';
import { ErrorMessage, ScreenTitle, useAction, useLoad } from '../ui.tsx';

/** Counts per queue, the analyst's exposure today, and "Next". */
export function Home() {
  const { t } = useI18n();
  const { api, next, homeNotice } = useWorkspace();
  const queue = useLoad(() => api.queue());
  const claim = useAction();
  const exposure = queue.data?.exposure;
  const minutes = (seconds: number) => Math.round(seconds / 60);
  return (
    <>
      <ScreenTitle>{t('home.title')}</ScreenTitle>
      <ErrorMessage error={queue.error} />
      {homeNotice && (
        <p role="status" class="notice">
          {homeNotice}
        </p>
      )}
      <button type="button" class="primary" disabled={claim.busy} onClick={() => claim.run(next)} aria-keyshortcuts="n">
        {t('home.next')}
      </button>
      <ErrorMessage error={claim.error} />
      {queue.data && (
        <section aria-labelledby="counts">
          <h2 id="counts">{t('home.counts')}</h2>
          <dl class="counts">
            {queueNames.map((name) => (
              <div key={name}>
                <dt>{t(`queue.${name}`)}</dt>
                <dd>{queue.data?.counts[name] ?? 0}</dd>
              </div>
            ))}
          </dl>
        </section>
      )}
      {exposure && (
        <section aria-labelledby="exposure">
          <h2 id="exposure">{t('home.exposure')}</h2>
          <p>
            <meter min={0} max={exposure.limitSeconds} value={exposure.seconds} aria-labelledby="exposure" />{' '}
            {t('home.exposureValue', { used: minutes(exposure.seconds), limit: minutes(exposure.limitSeconds) })}
          </p>
          {exposure.warning && (
            <p role="status" class="warning">
              {t('home.exposureWarning')}
            </p>
          )}
        </section>
      )}
      {exposure && queue.data?.team && (
        <section aria-labelledby="team-exposure">
          <h2 id="team-exposure">{t('home.teamExposure')}</h2>
          <ul>
            {queue.data.team.map((member) => (
              <li key={member.username}>
                {member.username}:{' '}
                {t('home.exposureValue', { used: minutes(member.seconds), limit: minutes(exposure.limitSeconds) })}
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
