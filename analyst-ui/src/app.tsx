import { useEffect, useMemo, useState } from 'preact/hooks';
import { Api, type Session } from './api.ts';
import { I18nContext, initialLang, isLang, type Lang, makeI18n } from './i18n/index.ts';
import { defaultIdleMs } from './idle.ts';
import { ChangePassword } from './screens/change-password.tsx';
import { SignIn } from './screens/sign-in.tsx';
import { Workspace } from './workspace.tsx';

const langKey = 'hotline.analyst.lang';

/** Signed out, or signed in with a session: the whole app's state above the screens. */
export function App() {
  const api = useMemo(() => new Api(), []);
  const [lang, setLang] = useState<Lang>(() => initialLang(localStorage.getItem(langKey), navigator.languages));
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [notice, setNotice] = useState<'ended' | 'signedOut' | undefined>();
  const [lastAnswerAt, setLastAnswerAt] = useState(Date.now());
  const i18n = useMemo(() => makeI18n(lang), [lang]);

  api.lang = lang;
  api.onAnswer = (status) => {
    setLastAnswerAt(Date.now());
    if (status === 401 && session) end('ended');
  };

  const start = (next: Session) => {
    api.csrfToken = next.csrfToken;
    // The language kept on the account follows the analyst to every device.
    if (isLang(next.user.language)) setLang(next.user.language);
    setNotice(undefined);
    setSession(next);
  };
  const end = (why: 'ended' | 'signedOut') => {
    api.csrfToken = '';
    setNotice(why);
    setSession(null);
  };

  useEffect(() => {
    // No live session (401) or no server answer: either way the analyst signs in.
    api.session().then(start, () => setSession(null));
  }, []);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = i18n.t('app.title');
    localStorage.setItem(langKey, lang);
  }, [lang, i18n]);

  // Chosen in the workspace: shown at once and kept on the account (a failure leaves it to this browser).
  const chooseLang = (next: Lang) => {
    setLang(next);
    api.setLanguage(next).catch(() => undefined);
  };

  const signOut = async () => {
    await api.signOut().catch(() => undefined);
    end('signedOut');
  };

  let screen = <p class="loading">{i18n.t('app.loading')}</p>;
  if (session === null) screen = <SignIn api={api} notice={notice} onSignedIn={start} lang={lang} setLang={setLang} />;
  else if (session?.mustChangePassword)
    screen = (
      <ChangePassword
        api={api}
        onChanged={(s) => start(s ?? { ...session, mustChangePassword: false })}
        onSignOut={signOut}
      />
    );
  else if (session)
    screen = (
      <Workspace
        api={api}
        user={session.user}
        idleMs={(session.idleTimeoutSeconds ?? 0) * 1000 || defaultIdleMs}
        lastAnswerAt={lastAnswerAt}
        lang={lang}
        setLang={chooseLang}
        onSignOut={signOut}
        onEnded={() => end('ended')}
      />
    );
  return <I18nContext.Provider value={i18n}>{screen}</I18nContext.Provider>;
}
