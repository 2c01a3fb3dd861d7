import { useEffect, useState } from 'preact/hooks';

// Hash routes: the server serves one page at /analyst/, and no route ever reaches it as a path.
export type Route =
  | { name: 'home' }
  | { name: 'items' }
  | { name: 'toConfirm' }
  | { name: 'item'; id: number }
  | { name: 'users' }
  | { name: 'statistics' }
  // admin screens
  | { name: 'banks' }
  | { name: 'settings' }
  | { name: 'outbox' }
  | { name: 'destinations' }
  | { name: 'known' };

/** The admin screens' routes, named as their hash path. */
const adminRoutes = ['banks', 'settings', 'outbox', 'destinations'] as const;

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, '');
  const item = /^items\/([1-9]\d{0,15})$/.exec(path);
  if (item) return { name: 'item', id: Number(item[1]) };
  if (path === 'items') return { name: 'items' };
  if (path === 'to-confirm') return { name: 'toConfirm' };
  if (path === 'users') return { name: 'users' };
  if (path === 'statistics') return { name: 'statistics' };
  const admin = adminRoutes.find((name) => name === path);
  if (admin) return { name: admin };
  if (path === 'known') return { name: 'known' };
  return { name: 'home' };
}

export function hrefOf(route: Route): string {
  switch (route.name) {
    case 'home':
      return '#/';
    case 'items':
      return '#/items';
    case 'toConfirm':
      return '#/to-confirm';
    case 'users':
      return '#/users';
    case 'item':
      return `#/items/${route.id}`;
    case 'statistics':
      return '#/statistics';
    case 'banks':
    case 'settings':
    case 'outbox':
    case 'destinations':
      return `#/${route.name}`;
    case 'known':
      return '#/known';
  }
}

export const navigate = (route: Route) => {
  location.hash = hrefOf(route);
};

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
