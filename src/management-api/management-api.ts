import { ERROR_CODES } from '../errors/error-codes.js';
import { KeywardError } from '../errors/keyward-error.js';
import { errorResponse } from '../http/error-response.js';
import { headerValues } from '../http/header-source.js';
import { httpDenial } from '../http/http-denial.js';
import { validateRealm } from '../http/www-authenticate.js';
import type { Keyward } from '../keyward.js';
import { reportBackgroundError } from '../management/background-error-reports.js';
import type { CallMeta } from '../management/call-meta.js';
import { adminPageRoutes } from './admin-page/admin-page-answers.js';
import { loadAdminPageAssets } from './admin-page/admin-page-assets.js';
import { resolveAdminPage } from './admin-page/admin-page-options.js';
import { assertTrustedOrigins, crossSiteRequest, isCrossSiteWrite } from './cross-site-requests.js';
import { accountEtag, ifMatchVersion } from './entity-tag.js';
import { methodNotAllowed, notFound, preconditionFailed } from './management-problems.js';
import type {
  AuthenticateHook,
  ManagementApi,
  ManagementApiOptions,
  ManagementRequest,
  ManagementResponse,
} from './management-request.js';
import { accountOf, MANAGEMENT_ROUTES, type ManagementRoute } from './management-routes.js';
import { buildOpenApiDocument, OPENAPI_PATH } from './openapi/openapi-document.js';
import type { OpenApiDocument } from './openapi/openapi-types.js';
import { queryInput } from './query-input.js';
import { createActorFinder } from './request-actor.js';
import { DEFAULT_MAX_BODY_BYTES, readBody } from './request-body.js';
import { bodyRootedError, routeInput } from './route-input.js';
import { matchRoute } from './route-matching.js';
import { assertDirectory } from './workspace-directory.js';

/** Throws `TypeError` unless the options are usable; returns the normalised base path. */
function assertOptions(options: ManagementApiOptions<never>): string {
  if (options === null || typeof options !== 'object' || typeof options.authenticate !== 'function') {
    throw new TypeError('keyward: authenticate must be a function (request) => Actor | null');
  }
  const max = options.maxBodyBytes;
  if (max !== undefined && (!Number.isInteger(max) || max < 1024 || max > 16 * 1024 * 1024)) {
    throw new TypeError('keyward: maxBodyBytes must be an integer between 1024 and 16777216');
  }
  const base = options.basePath ?? '';
  if (typeof base !== 'string' || (base !== '' && !/^(\/[A-Za-z0-9._~-]+)+\/?$/.test(base))) {
    throw new TypeError('keyward: basePath must be a path such as /api/keyward');
  }
  if (options.limit !== undefined && typeof options.limit !== 'function') {
    throw new TypeError('keyward: limit must be a function (actor, request) => RateLimitVerdict');
  }
  if (options.endpointsBaseUrl !== undefined && typeof options.endpointsBaseUrl !== 'function') {
    throw new TypeError('keyward: endpointsBaseUrl must be a function (workspaceId) => string');
  }
  assertDirectory(options.directory);
  return base.endsWith('/') ? base.slice(0, -1) : base;
}

/**
 * A request target as the Fetch API's URL parser makes it (path and query): dot segments,
 * `%2e%2e` included, resolved, and an absolute-form target (`http://host/path`) reduced to its
 * path, so that every mount (Express and Fastify hand the raw target, Hono and the fetch handler a
 * parsed URL) routes the same request the same way.
 *
 * @internal
 */
export function normalizedTarget(target: string): string {
  try {
    const url = new URL(target, 'http://keyward.invalid');
    return `${url.pathname}${url.search}`;
  } catch {
    return target;
  }
}

/** The pathname relative to `base` and the search of a request target; `null` outside `base`. */
function targetOf(rawPath: string, base: string): { pathname: string; search: string } | null {
  const path = normalizedTarget(rawPath);
  const mark = path.indexOf('?');
  const pathname = mark === -1 ? path : path.slice(0, mark);
  const search = mark === -1 ? '' : path.slice(mark + 1);
  if (!pathname.startsWith(base)) return null;
  const rest = pathname.slice(base.length);
  if (rest === '') return { pathname: '/', search };
  return rest.startsWith('/') ? { pathname: rest, search } : null;
}

/**
 * `GET /openapi.json`: the document, to anyone (it describes routes, never data); other methods 405.
 */
function openapiResponse(method: string, document: OpenApiDocument): ManagementResponse {
  if (String(method).toUpperCase() !== 'GET') return methodNotAllowed(['GET']);
  return {
    status: 200,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-cache' },
    body: document,
  };
}

/** Audit metadata of a request: its address and user agent, when they fit the audit trail. */
function metaOf(request: ManagementRequest<unknown>): CallMeta {
  const meta: { ip?: string; userAgent?: string } = {};
  if (typeof request.ip === 'string' && request.ip.length > 0 && request.ip.length <= 64)
    meta.ip = request.ip;
  const agent = headerValues(request.headers, 'user-agent')[0]?.slice(0, 512);
  if (agent !== undefined && agent !== '' && /^[\x20-\x7e]+$/.test(agent)) meta.userAgent = agent;
  return { request: meta };
}

/** A successful answer of `route` for `result`. */
function successResponse(route: ManagementRoute, result: unknown, base: string): ManagementResponse {
  if (route.result === 'empty') return { status: 204, headers: { 'cache-control': 'no-store' }, body: null };
  const headers: Record<string, string> = { 'content-type': 'application/json', 'cache-control': 'no-store' };
  const account = accountOf(route.result, result);
  if (account !== undefined) headers.etag = accountEtag(account.version);
  let status = 200;
  if (route.result === 'created_account' && account !== undefined) {
    status = 201;
    headers.location = `${base}/service-accounts/${encodeURIComponent(account.id)}`;
  } else if (route.result === 'issued_key') {
    status = 201;
    headers.location = `${base}/keys/${encodeURIComponent((result as { key: { id: string } }).key.id)}`;
  }
  return { status, headers, body: JSON.parse(JSON.stringify(result)) as unknown };
}

/** The problem answer to an error of a call; a stale `If-Match` is 412. */
function failureResponse(route: ManagementRoute, error: unknown, fromIfMatch: boolean): ManagementResponse {
  if (fromIfMatch && error instanceof KeywardError && error.code === ERROR_CODES.CONFLICT) {
    return preconditionFailed();
  }
  const problem = errorResponse(bodyRootedError(route, error));
  return { status: problem.status, headers: problem.headers, body: problem.body };
}

/**
 * Builds the framework-free management API over `kw`: routes over `kw.serviceAccounts`,
 * `kw.keys` and `kw.audit`, JSON in and out, RFC 9457 problems, `ETag` / `If-Match` on service
 * accounts. The actor is the host's `authenticate` hook's person, or else the request's verified
 * keyward API key (acting within its own rights). With `adminPage`, it also serves the API
 * management page under `<basePath>/ui/`. Options are checked here: a bad one throws
 * `TypeError` at startup.
 *
 * @example
 * ```ts
 * const api = createManagementApi(kw, { authenticate: (req) => sessionUser(req.headers), basePath: '/admin' });
 * const res = await api.handle({ method: 'GET', path: '/admin/service-accounts', headers: req.headers });
 * ```
 */
export function createManagementApi<Raw = unknown, A extends string = string, R extends string = string>(
  kw: Keyward<A, R>,
  options: ManagementApiOptions<Raw>,
): ManagementApi<Raw> {
  return buildManagementApi(kw, options, undefined);
}

/**
 * {@link createManagementApi}, reading the admin page's files from `adminPageDir` (a directory
 * URL) instead of keyward's `dist/admin-page/`: for tests of a missing build.
 *
 * @internal
 */
export function buildManagementApi<Raw = unknown, A extends string = string, R extends string = string>(
  kw: Keyward<A, R>,
  options: ManagementApiOptions<Raw>,
  adminPageDir: URL | undefined,
): ManagementApi<Raw> {
  const base = assertOptions(options as ManagementApiOptions<never>);
  const realm = validateRealm(options.realm ?? 'api');
  const limit = options.limit;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const trustedOrigins = assertTrustedOrigins(options.trustedOrigins);
  const { endpointsBaseUrl, directory } = options;
  const reportError = (error: unknown) => reportBackgroundError(kw, error);
  const given = { endpointsBaseUrl, directory };
  const routes = MANAGEMENT_ROUTES.filter(
    (route) => route.needs === undefined || given[route.needs] !== undefined,
  );
  const page = resolveAdminPage(options.adminPage);
  // The page's files are read once, now: a missing build fails at startup, not on a visit.
  const pageRoutes =
    page === undefined ? undefined : adminPageRoutes(base, page, loadAdminPageAssets(adminPageDir));
  const findActor = createActorFinder(
    kw as Keyward,
    options.authenticate as AuthenticateHook,
    realm,
    {
      maxCredentialLength: options.maxCredentialLength,
      queryParams: options.queryParams,
    },
    options.failedVerificationThrottle,
  );
  const openapi = buildOpenApiDocument(routes, { basePath: base });

  async function handle(request: ManagementRequest<Raw>): Promise<ManagementResponse> {
    const target = targetOf(String(request.path), base);
    if (target === null) return notFound();
    if (target.pathname === OPENAPI_PATH) return openapiResponse(request.method, openapi);
    const pageAnswer = pageRoutes?.({ ...target, method: request.method, headers: request.headers });
    if (pageAnswer !== undefined) return pageAnswer;
    const match = matchRoute(routes, String(request.method).toUpperCase(), target.pathname);
    if (match.kind === 'none') return notFound();
    if (match.kind === 'wrong_method') return methodNotAllowed(match.allow);
    const { route, params } = match;
    // Before any other work: no hook, no storage read, no audit event for another site's write.
    if (isCrossSiteWrite(request, trustedOrigins)) return crossSiteRequest();
    const body = readBody(request, maxBodyBytes);
    if (!('present' in body)) return body;
    const found = await findActor(request, route.action);
    if (!found.ok) return found.response;
    const verdict = limit === undefined ? undefined : await limit(found.actor, request);
    if (verdict?.limited === true) {
      const denial = httpDenial('rate_limited', {
        realm,
        action: route.action,
        retryAfterSeconds: verdict.retryAfterSeconds,
      });
      return { status: denial.status, headers: denial.headers, body: denial.body };
    }
    const ifMatch = route.ifMatch === true ? ifMatchVersion(request.headers) : undefined;
    if (ifMatch === 'unmatchable') return preconditionFailed();
    try {
      const query = queryInput(target.search);
      const input = routeInput(route, { params, query, body, ifMatch });
      const result = await route.run({
        kw: kw as Keyward,
        actor: found.actor,
        input: input as never,
        meta: metaOf(request),
        endpointsBaseUrl,
        directory,
        reportError,
      });
      return successResponse(route, result, base);
    } catch (error) {
      return failureResponse(route, error, ifMatch !== undefined);
    }
  }

  return { handle, openapi, basePath: base };
}
