/**
 * The screen shown, kept in the URL fragment (`#/accounts/sa_...`, `#/new`, `#/my-keys`) so that
 * Back and reload work. Only ids ever go there, never a secret.
 *
 * @packageDocumentation
 */
import { useEffect, useState } from 'preact/hooks';
import type { Route } from './app-context';

/** The fragment of a route. */
export function routeHref(route: Route): string {
  switch (route.screen) {
    case 'home':
      return '#/';
    case 'new':
      return '#/new';
    case 'my-keys':
      return '#/my-keys';
    case 'account':
      return `#/accounts/${encodeURIComponent(route.id)}`;
  }
}

/** The route a fragment names (`home` for anything else). */
export function parseRoute(hash: string): Route {
  if (hash === '#/new') return { screen: 'new' };
  if (hash === '#/my-keys') return { screen: 'my-keys' };
  // An account id is letters, digits, `_` and `-` (`sa_...`): anything else (a malformed escape,
  // `..`) is a link no account has, which opens the home screen rather than breaking the page.
  const account = /^#\/accounts\/([A-Za-z0-9_-]{1,64})$/.exec(hash);
  if (account?.[1] !== undefined) return { screen: 'account', id: account[1] };
  return { screen: 'home' };
}

/** The current route, and a way to change it (which also moves the fragment). */
export function useRoute(): [Route, (route: Route) => void] {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const follow = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, []);
  const navigate = (next: Route) => {
    const href = routeHref(next);
    if (location.hash !== href) location.hash = href;
    setRoute(next);
  };
  return [route, navigate];
}
