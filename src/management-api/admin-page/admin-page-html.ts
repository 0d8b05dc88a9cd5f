import type { ResolvedAdminPage } from './admin-page-options.js';

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** `text` safe inside an HTML element or a quoted attribute value. @internal */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] as string);
}

/**
 * The page's HTML: a shell that loads `app.css` and `app.js` from `<base>/ui/` and hands the app
 * its settings in `data-` attributes, every value escaped. Nothing inline: a strict
 * Content-Security-Policy (`script-src 'self'`, `style-src 'self'`) lets it run.
 *
 * @internal
 */
export function adminPageHtml(base: string, page: ResolvedAdminPage): string {
  const title = escapeHtml(page.title);
  const api = escapeHtml(base);
  const signIn = page.signInUrl === undefined ? '' : ` data-sign-in-url="${escapeHtml(page.signInUrl)}"`;
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${title}</title>`,
    `<link rel="stylesheet" href="${api}/ui/app.css">`,
    `<script type="module" src="${api}/ui/app.js"></script>`,
    '</head><body>',
    `<div id="keyward-admin" data-api-base="${api}" data-title="${title}"${signIn}></div>`,
    '</body></html>',
  ].join('');
}
