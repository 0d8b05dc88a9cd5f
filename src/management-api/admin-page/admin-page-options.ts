/**
 * The API management page's settings (the `adminPage` option of `createManagementApi` and of
 * every mount). The page holds no data: every call it makes goes to the management API, which
 * authenticates it like any other (the host's session, by cookie on the same origin).
 *
 * @example
 * ```ts
 * const api = createManagementApi(kw, {
 *   basePath: '/api/keyward',
 *   authenticate: (req) => sessionUser(req),
 *   adminPage: { title: 'Acme API management', signInUrl: '/login' },
 * });
 * // The page: GET /api/keyward/ui/
 * ```
 */
export interface AdminPageOptions {
  /** The page's title and main heading; default `'API management'`. At most 200 characters. */
  title?: string | undefined;
  /**
   * Where the page sends a person whose session is missing or expired (a "Sign in" link): a path
   * on the host (`/login`) or an `https:` / `http:` URL. Default: no link.
   */
  signInUrl?: string | undefined;
}

/** The page's settings after defaults. @internal */
export interface ResolvedAdminPage {
  readonly title: string;
  readonly signInUrl: string | undefined;
}

const DEFAULT_TITLE = 'API management';

/**
 * A path on the host (not `//host`), or an absolute http(s) URL: never `javascript:` or `data:`.
 * Printable ASCII only (percent-encode the rest).
 */
function isSignInUrl(value: string): boolean {
  if (value.length > 2048 || !/^[!-~]+$/.test(value)) return false;
  if (value.startsWith('/')) return !value.startsWith('//') && !value.startsWith('/\\');
  return /^https?:\/\/[^/\\]/i.test(value);
}

/**
 * The settings of the `adminPage` option, or `undefined` when the page is off (absent or
 * `false`). Throws `TypeError` on a bad value, at startup.
 *
 * @internal
 */
export function resolveAdminPage(option: unknown): ResolvedAdminPage | undefined {
  if (option === undefined || option === false) return undefined;
  if (option === true) return { title: DEFAULT_TITLE, signInUrl: undefined };
  if (typeof option !== 'object' || option === null || Array.isArray(option)) {
    throw new TypeError('keyward: adminPage must be true, false or { title?, signInUrl? }');
  }
  const { title, signInUrl } = option as AdminPageOptions;
  if (title !== undefined && (typeof title !== 'string' || title.trim() === '' || title.length > 200)) {
    throw new TypeError('keyward: adminPage.title must be a non-empty string of at most 200 characters');
  }
  if (signInUrl !== undefined && (typeof signInUrl !== 'string' || !isSignInUrl(signInUrl))) {
    throw new TypeError('keyward: adminPage.signInUrl must be a path such as /login or an http(s) URL');
  }
  return { title: title ?? DEFAULT_TITLE, signInUrl };
}
