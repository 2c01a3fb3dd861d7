import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import type { Api, SessionUser } from './api.ts';
import { WorkspaceContext } from './context.ts';
import { Dialog } from './dialog.tsx';
import { type Lang, useI18n } from './i18n/index.ts';
import { useIdlePhase } from './idle.ts';
import { LanguagePicker } from './language-picker.tsx';
import { hrefOf, navigate, type Route, useRoute } from './router.ts';
import { AdminScreen, adminLinks } from './screens/admin-nav.tsx';
import { Home } from './screens/home.tsx';
import { ItemScreen } from './screens/item.tsx';
import { ItemsList } from './screens/items-list.tsx';
import { KnownQueue } from './screens/known.tsx';
import { Statistics } from './screens/statistics.tsx';
import { Users } from './screens/users.tsx';
import { shortcutList, useShortcuts } from './shortcuts.ts';
import { statsTranslator } from './stats-messages.ts';

interface Props {
  api: Api;
  user: SessionUser;
  idleMs: number;
  lastAnswerAt: number;
  lang: Lang;
  setLang: (lang: Lang) => void;
  onSignOut: () => void;
  onEnded: () => void;
}

/** The signed-in frame: landmarks, navigation, shortcuts, the idle warning, and the current screen. */
export function Workspace({ api, user, idleMs, lastAnswerAt, setLang, onSignOut, onEnded }: Props) {
  const { t, formatTime, lang } = useI18n();
  const route = useRoute();
  const [helpOpen, setHelpOpen] = useState(false);
  const [homeNotice, setHomeNotice] = useState('');
  const phase = useIdlePhase(lastAnswerAt, idleMs);
  useEffect(() => {
    if (phase === 'ended') onEnded();
  }, [phase, onEnded]);
  // Any answer of the server restarts its idle clock, and the countdown here with it.
  const stay = () => api.session().catch(() => undefined);

  const claimedItems = useMemo(() => new Set<number>(), []);
  const next = useCallback(async () => {
    const claimed = await api.next();
    if (claimed) claimedItems.add(claimed.item.id);
    setHomeNotice(claimed ? '' : t('home.empty'));
    navigate(claimed ? { name: 'item', id: claimed.item.id } : { name: 'home' });
  }, [api, t, claimedItems]);

  const onKey = useCallback(
    (key: string) => {
      const go: Record<string, Route> = { h: { name: 'home' }, l: { name: 'items' }, c: { name: 'toConfirm' } };
      if (key === '?') setHelpOpen(true);
      else if (key === 'n') next().catch(() => navigate({ name: 'home' }));
      else if (key === 'u' && user.role === 'admin') navigate({ name: 'users' });
      else if (go[key]) navigate(go[key]);
      // Screen-level shortcuts press the button that declares them (the safe view's "lower the blur").
      else document.querySelector<HTMLButtonElement>(`button[data-shortcut="${key}"]`)?.click();
    },
    [next, user.role],
  );
  useShortcuts(onKey, !helpOpen && phase === 'active');

  const workspace = useMemo(
    () => ({ api, user, next, homeNotice, claimed: claimedItems }),
    [api, user, next, homeNotice, claimedItems],
  );
  const links: { route: Route; label: string }[] = [
    { route: { name: 'home' }, label: t('nav.home') },
    { route: { name: 'items' }, label: t('nav.items') },
    { route: { name: 'toConfirm' }, label: t('nav.toConfirm') },
  ];
  if (user.role === 'admin') links.push({ route: { name: 'users' }, label: t('nav.users') });
  if (user.role !== 'analyst') links.push({ route: { name: 'statistics' }, label: statsTranslator(lang)('nav') });
  links.push(...adminLinks(user.role, t));
  if (user.role !== 'analyst') links.push({ route: { name: 'known' }, label: t('nav.known') });

  return (
    <WorkspaceContext.Provider value={workspace}>
      <button type="button" class="skip" onClick={skipToMain}>
        {t('app.skip')}
      </button>
      <header class="bar">
        <span class="brand">{t('app.title')}</span>
        <nav aria-label={t('nav.label')}>
          <ul>
            {links.map((link) => (
              <li key={link.route.name}>
                <a href={hrefOf(link.route)} aria-current={link.route.name === route.name ? 'page' : undefined}>
                  {link.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="account">
          <span>{t('nav.signedInAs', { username: user.username, role: t(`role.${user.role}`) })}</span>
          <LanguagePicker setLang={setLang} />
          <button type="button" class="link" onClick={() => setHelpOpen(true)} aria-keyshortcuts="?">
            {t('nav.shortcuts')}
          </button>
          <button type="button" onClick={onSignOut}>
            {t('nav.signOut')}
          </button>
        </div>
      </header>
      <main id="main">
        <CurrentScreen route={route} />
      </main>
      <Dialog open={helpOpen} title={t('shortcuts.title')} onClose={() => setHelpOpen(false)}>
        <dl class="shortcuts">
          {shortcutList
            .filter((s) => !s.adminOnly || user.role === 'admin')
            .map((s) => (
              <div key={s.key}>
                <dt>
                  <kbd>{s.key}</kbd>
                </dt>
                <dd>{t(s.label)}</dd>
              </div>
            ))}
        </dl>
        <button type="button" onClick={() => setHelpOpen(false)}>
          {t('shortcuts.close')}
        </button>
      </Dialog>
      <Dialog open={phase === 'warning'} title={t('idle.title')} onClose={stay}>
        <p>{t('idle.text', { time: formatTime(new Date(lastAnswerAt + idleMs).toISOString()) })}</p>
        <button type="button" onClick={stay}>
          {t('idle.stay')}
        </button>
      </Dialog>
    </WorkspaceContext.Provider>
  );
}

function CurrentScreen({ route }: { route: Route }) {
  switch (route.name) {
    case 'home':
      return <Home />;
    case 'items':
      return <ItemsList key="items" />;
    case 'toConfirm':
      return <ItemsList key="toConfirm" fixedState="to_confirm" />;
    case 'item':
      return <ItemScreen key={route.id} id={route.id} />;
    case 'users':
      return <Users />;
    case 'statistics':
      return <Statistics />;
    case 'banks':
    case 'settings':
    case 'outbox':
    case 'destinations':
      return <AdminScreen name={route.name} />;
    case 'known':
      return <KnownQueue />;
  }
}

/** Hash routing owns the fragment, so "skip to content" is a button that moves the focus itself. */
function skipToMain() {
  document.querySelector<HTMLElement>('#main h1')?.focus();
}
