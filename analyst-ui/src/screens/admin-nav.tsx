import type { Role } from '../api.ts';
import type { Translate } from '../i18n/index.ts';
import type { Route } from '../router.ts';
import { Banks } from './banks.tsx';
import { DestinationsScreen } from './destinations.tsx';
import { OutboxScreen } from './outbox.tsx';
import { SettingsScreen } from './settings.tsx';
import './admin.css';

type AdminRoute = Extract<Route, { name: 'banks' | 'settings' | 'outbox' | 'destinations' }>;

/** The admin screens' navigation links: supervisors and administrators (the API decides what each may change). */
export function adminLinks(role: Role, t: Translate): { route: AdminRoute; label: string }[] {
  if (role === 'analyst') return [];
  return [
    { route: { name: 'banks' }, label: t('nav.banks') },
    { route: { name: 'settings' }, label: t('nav.settings') },
    { route: { name: 'outbox' }, label: t('nav.outbox') },
    { route: { name: 'destinations' }, label: t('nav.destinations') },
  ];
}

export function AdminScreen({ name }: { name: AdminRoute['name'] }) {
  switch (name) {
    case 'banks':
      return <Banks />;
    case 'settings':
      return <SettingsScreen />;
    case 'outbox':
      return <OutboxScreen />;
    case 'destinations':
      return <DestinationsScreen />;
  }
}
