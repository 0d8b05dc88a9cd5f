import { type HeaderSource, headerValues } from '../../http/header-source.js';
import { methodNotAllowed, notFound } from '../management-problems.js';
import type { ManagementResponse } from '../management-request.js';
import type { AdminPageAsset, AdminPageAssets } from './admin-page-assets.js';
import { ADMIN_PAGE_SECURITY_HEADERS } from './admin-page-headers.js';
import { adminPageHtml } from './admin-page-html.js';
import type { ResolvedAdminPage } from './admin-page-options.js';

/** The part of a request the page's answers depend on. @internal */
export interface PageRequest {
  readonly method: string;
  /** The pathname relative to the base path (`/ui/app.js`). */
  readonly pathname: string;
  /** The query string, without `?`. */
  readonly search: string;
  readonly headers: HeaderSource;
}

/** Answers the page's requests; `undefined` for a path outside `/ui`. @internal */
export type AdminPageRoutes = (request: PageRequest) => ManagementResponse | undefined;

const PAGE_PATH = '/ui';
const READ_METHODS = ['GET', 'HEAD'];

/** An answer of the page: the security headers, `headers`, and the body (none for HEAD). */
function pageAnswer(
  method: string,
  status: number,
  headers: Record<string, string>,
  bytes: Uint8Array | null,
): ManagementResponse {
  const all = { ...ADMIN_PAGE_SECURITY_HEADERS, ...headers };
  if (bytes === null) return { status, headers: all, body: null };
  if (method === 'HEAD')
    return { status, headers: { ...all, 'content-length': String(bytes.length) }, body: null };
  return { status, headers: all, body: bytes };
}

/** True when `If-None-Match` names `etag` (weak comparison, as RFC 9110 asks) or is `*`. */
function notModified(headers: HeaderSource, etag: string): boolean {
  for (const value of headerValues(headers, 'if-none-match')) {
    for (const tag of value.split(',')) {
      const trimmed = tag.trim();
      if (trimmed === '*' || trimmed.replace(/^W\//, '') === etag) return true;
    }
  }
  return false;
}

/** An asset with `no-cache` and its strong tag: 304 when the client holds the same bytes. */
function assetAnswer(request: PageRequest, asset: AdminPageAsset): ManagementResponse {
  const headers = { 'content-type': asset.contentType, 'cache-control': 'no-cache', etag: asset.etag };
  if (notModified(request.headers, asset.etag)) {
    const { 'content-type': _type, ...rest } = headers;
    return pageAnswer(request.method, 304, rest, null);
  }
  return pageAnswer(request.method, 200, headers, asset.bytes);
}

/** A problem answer of a page path, with the page's security headers. */
function withPageHeaders(answer: ManagementResponse): ManagementResponse {
  return { ...answer, headers: { ...ADMIN_PAGE_SECURITY_HEADERS, ...answer.headers } };
}

/**
 * The page's routes under `base`: `GET|HEAD /ui/` (the HTML, `no-store`), `GET|HEAD /ui/app.js`
 * and `/ui/app.css` (`no-cache`, strong `ETag`, 304 on `If-None-Match`), `GET|HEAD /ui` (308 to
 * `/ui/`); other methods 405, other paths under `/ui/` 404. No authentication: the page holds no
 * data, and each API call it makes is authenticated.
 *
 * @internal
 */
export function adminPageRoutes(
  base: string,
  page: ResolvedAdminPage,
  assets: AdminPageAssets,
): AdminPageRoutes {
  const html = new TextEncoder().encode(adminPageHtml(base, page));
  return (request) => {
    const { pathname } = request;
    if (pathname !== PAGE_PATH && !pathname.startsWith(`${PAGE_PATH}/`)) return undefined;
    const name = pathname.slice(PAGE_PATH.length + 1);
    const asset = assets.get(name);
    if (pathname !== PAGE_PATH && name !== '' && asset === undefined) return withPageHeaders(notFound());
    const method = String(request.method).toUpperCase();
    if (!READ_METHODS.includes(method)) return withPageHeaders(methodNotAllowed(READ_METHODS));
    if (pathname === PAGE_PATH) {
      const location = `${base}${PAGE_PATH}/${request.search === '' ? '' : `?${request.search}`}`;
      return pageAnswer(method, 308, { location, 'cache-control': 'no-store' }, null);
    }
    if (asset !== undefined) return assetAnswer({ ...request, method }, asset);
    return pageAnswer(
      method,
      200,
      { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
      html,
    );
  };
}
