import { useState } from 'preact/hooks';
import type { Api, Session } from '../api.ts';
import { type Lang, useI18n } from '../i18n/index.ts';
import { LanguagePicker } from '../language-picker.tsx';
import { ErrorMessage, ScreenTitle, useAction } from '../ui.tsx';

interface Props {
  api: Api;
  notice: 'ended' | 'signedOut' | undefined;
  onSignedIn: (session: Session) => void;
  lang: Lang;
  setLang: (lang: Lang) => void;
}

export function SignIn({ api, notice, onSignedIn, setLang }: Props) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const { error, busy, run } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    run(async () => {
      const session = await api.signIn(username, password, totp);
      // The code is single-use: clear it so a second attempt asks for a fresh one.
      setPassword('');
      setTotp('');
      onSignedIn(session);
    });
  };
  return (
    <div class="narrow">
      <header class="bar">
        <span class="brand">{t('app.title')}</span>
        <LanguagePicker setLang={setLang} />
      </header>
      <main id="main">
        <ScreenTitle>{t('signIn.title')}</ScreenTitle>
        {notice && (
          <p role="status" class="notice">
            {t(notice === 'ended' ? 'signIn.ended' : 'signIn.signedOut')}
          </p>
        )}
        <ErrorMessage error={error} />
        <form onSubmit={submit} class="stack">
          <label>
            {t('signIn.username')}
            <input
              name="username"
              autocomplete="username"
              required
              value={username}
              onInput={(e) => setUsername(e.currentTarget.value)}
            />
          </label>
          <label>
            {t('signIn.password')}
            <input
              name="password"
              type="password"
              autocomplete="current-password"
              required
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
          </label>
          <label>
            {t('signIn.totp')}
            <input
              name="totp"
              inputMode="numeric"
              autocomplete="one-time-code"
              pattern="[0-9 ]{6,8}"
              required
              value={totp}
              onInput={(e) => setTotp(e.currentTarget.value)}
            />
          </label>
          <button type="submit" disabled={busy}>
            {t('signIn.submit')}
          </button>
        </form>
      </main>
    </div>
  );
}
