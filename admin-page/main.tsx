/**
 * Entry of the API management page: renders the app into `#keyward-admin`, reading the API's
 * base path, the title and the sign-in URL from the element's data attributes (the server writes
 * them; nothing is inline).
 *
 * @packageDocumentation
 */
import { render } from 'preact';
import { App } from './app';

const root = document.getElementById('keyward-admin');
if (root !== null) {
  const signInUrl = root.dataset.signInUrl;
  render(
    <App
      apiBase={root.dataset.apiBase ?? ''}
      title={root.dataset.title || 'API management'}
      signInUrl={signInUrl === undefined || signInUrl === '' ? null : signInUrl}
    />,
    root,
  );
}
