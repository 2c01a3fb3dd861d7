import { useState } from 'preact/hooks';
import type { Api, Session } from '../api.ts';
import { useI18n } from '../i18n/index.ts';
import { ErrorMessage, ScreenTitle, useAction } from '../ui.tsx';

/** The forced first step of an account made with a temporary password: nothing else is reachable. */
interface Props {
  api: Api;
  onChanged: (session: Session | undefined) => void;
  onSignOut: () => void;
}

export function ChangePassword({ api, onChanged, onSignOut }: Props) {
  const { t } = useI18n();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const { error, busy, run } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    setMismatch(next !== repeat);
    if (next !== repeat) return;
    run(async () => onChanged(await api.changePassword(current, next)));
  };
  return (
    <div class="narrow">
      <main id="main">
        <ScreenTitle>{t('password.title')}</ScreenTitle>
        <p>{t('password.intro')}</p>
        <ErrorMessage error={error} />
        {mismatch && (
          <p role="alert" class="error">
            {t('password.mismatch')}
          </p>
        )}
        <form onSubmit={submit} class="stack">
          <label>
            {t('password.current')}
            <input
              type="password"
              autocomplete="current-password"
              required
              value={current}
              onInput={(e) => setCurrent(e.currentTarget.value)}
            />
          </label>
          <label>
            {t('password.new')}
            <input
              type="password"
              autocomplete="new-password"
              required
              value={next}
              onInput={(e) => setNext(e.currentTarget.value)}
            />
          </label>
          <label>
            {t('password.repeat')}
            <input
              type="password"
              autocomplete="new-password"
              required
              value={repeat}
              onInput={(e) => setRepeat(e.currentTarget.value)}
            />
          </label>
          <button type="submit" disabled={busy}>
            {t('password.submit')}
          </button>
        </form>
        <p>
          <button type="button" class="link" onClick={onSignOut}>
            {t('nav.signOut')}
          </button>
        </p>
      </main>
    </div>
  );
}
