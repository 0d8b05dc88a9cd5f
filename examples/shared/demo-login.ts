import { type DemoSessions, SESSION_COOKIE } from './demo-platform.js';

/**
 * The stand-in login's answers, the same on Express, Fastify and Hono: each app parses the
 * request its own way and sends what these functions return. A real host has its own login.
 */
export interface LoginAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  /** HTML or JSON text; empty for a redirect. */
  readonly body: string;
}

/** Where a person lands after signing in with the form: keyward's API management page. */
export const AFTER_SIGN_IN = '/api/keyward/ui/';

/** The sign-in page allows nothing but its own form: no script, no style, no framing. */
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy':
    "default-src 'none'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
};

/**
 * The cookie of a session: out of reach of scripts (`HttpOnly`) and never sent by another site's
 * page or form (`SameSite=Strict`). Behind HTTPS, add `Secure`.
 */
const sessionCookie = (session: string) => `${SESSION_COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/`;
const CLEARED_COOKIE = `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`;

/** The sign-in page: a plain form posting `user` and `password` to `POST /login`. */
function loginPage(failed: boolean): string {
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>Sign in</title></head><body><main><h1>Sign in</h1>',
    '<p>The demo stand-in for your own login: sign in as alice / alice-demo-password.</p>',
    failed ? '<p role="alert">Wrong user or password.</p>' : '',
    '<form method="post" action="/login">',
    '<p><label for="user">User</label> <input id="user" name="user" autocomplete="username" required></p>',
    '<p><label for="password">Password</label> ',
    '<input id="password" name="password" type="password" autocomplete="current-password" required></p>',
    '<p><button type="submit">Sign in</button></p>',
    '</form></main></body></html>',
  ].join('');
}

/** `GET /login`: the sign-in page. */
export function loginPageAnswer(): LoginAnswer {
  return { status: 200, headers: PAGE_HEADERS, body: loginPage(false) };
}

/**
 * `POST /login`: opens a session for `user` and `password` and sets its cookie. A form post
 * (`form: true`) is then redirected to the management page (303), or shown the page again (401);
 * a JSON post gets `{ session }` (for the `x-session` header), or 401 `invalid_login`.
 */
export function loginAnswer(
  sessions: DemoSessions,
  fields: { readonly user?: unknown; readonly password?: unknown } | undefined,
  form: boolean,
): LoginAnswer {
  const session = sessions.login(fields?.user, fields?.password);
  if (session === null) {
    return form
      ? { status: 401, headers: PAGE_HEADERS, body: loginPage(true) }
      : { status: 401, headers: { 'content-type': 'application/json' }, body: '{"code":"invalid_login"}' };
  }
  const cookie = { 'set-cookie': sessionCookie(session), 'cache-control': 'no-store' };
  return form
    ? { status: 303, headers: { ...cookie, location: AFTER_SIGN_IN }, body: '' }
    : {
        status: 200,
        headers: { ...cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ session }),
      };
}

/** `POST /logout`: ends the cookie's session, clears the cookie, and goes back to the sign-in page. */
export function logoutAnswer(sessions: DemoSessions, cookieHeader: string | undefined | null): LoginAnswer {
  sessions.logout(cookieHeader);
  return { status: 303, headers: { 'set-cookie': CLEARED_COOKIE, location: '/login' }, body: '' };
}

/** True when a `content-type` is an HTML form's (`application/x-www-form-urlencoded`). */
export function isFormPost(contentType: string | undefined | null): boolean {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() === 'application/x-www-form-urlencoded';
}
