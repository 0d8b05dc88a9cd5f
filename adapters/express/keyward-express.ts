import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ParamsDictionary, RouteParameters } from 'express-serve-static-core';
import {
  type ApiKeyGuardOptions,
  type ApiKeyRoute,
  type Awaitable,
  createApiKeyGuard,
  type HttpDenial,
  type LeakReportHandlerOptions,
  type RateLimitVerdict,
} from '../../src/entries/http.js';
import type { Keyward } from '../../src/keyward.js';
import type { VerifiedPrincipal } from '../../src/verify/verified-principal.js';
import { createLeakReportRoute } from './leak-report-route.js';
import {
  createManagementRouter,
  type ExpressManagementOptions,
  type ExpressManagementRouter,
} from './management-router.js';

/**
 * Called with every refusal before it is sent, with the precise `denial.code` (`key_revoked`,
 * `read_only`, ...) for logs and metrics. If the hook sends a response itself, that response
 * stands; otherwise the default RFC 9457 problem is sent.
 */
export type ExpressDeniedHook = (denial: HttpDenial, req: Request, res: Response) => void | Promise<void>;

/** A host rate limiter, asked once a key is verified; `{ limited: true, retryAfterSeconds }` answers 429. */
export type ExpressLimitHook = (principal: VerifiedPrincipal, req: Request) => Awaitable<RateLimitVerdict>;

/** Options of {@link keywardExpress}: defaults for every route, validated when it is called. */
export interface KeywardExpressOptions extends ApiKeyGuardOptions {
  /** See {@link ExpressDeniedHook}. */
  onDenied?: ExpressDeniedHook | undefined;
  /** See {@link ExpressLimitHook}. */
  limit?: ExpressLimitHook | undefined;
}

/**
 * What one protected route declares; `onDenied` and `limit` override the defaults. `A` is the
 * catalog's permission names, `P` the route's params (inferred from the route path).
 */
export interface RequireApiKeyOptions<A extends string = string, P = ParamsDictionary>
  extends ApiKeyRoute<Request<P>, A> {
  onDenied?: ExpressDeniedHook | undefined;
  limit?: ExpressLimitHook | undefined;
}

/**
 * The params of a route: `RouteParameters` of a route path (`'/workspaces/:w'` gives
 * `{ w: string }`), or a params object type as is.
 */
export type RouteParamsOf<Route> = Route extends string ? RouteParameters<Route> : Route;

/** The middleware factory {@link keywardExpress} returns; `A` is the instance's permission names. */
export interface KeywardExpress<A extends string = string> {
  /**
   * A middleware admitting only requests whose API key may perform `action` on the resource
   * `resource(req)` resolves. The key is verified first: `resource` runs only for a valid key, so
   * every bad key gets the same 401 on every URL and costs no lookup. Sets `req.keyward`;
   * refusals are answered with a problem body; unexpected errors (from `resource`, `limit` or
   * `onDenied`) go to `next(err)`. Give the route path (or its params type) as type argument
   * to type `req.params` in `resource`: `requireApiKey<'/workspaces/:w'>(...)` makes
   * `req.params.w` a `string`.
   *
   * @example
   * ```ts
   * app.get('/workspaces/:w/datasets/:d', requireApiKey<'/workspaces/:w/datasets/:d'>({
   *   action: 'datasets:read', resource: (req) => directory.dataset(req.params.w, req.params.d) }));
   * ```
   */
  requireApiKey<Route = ParamsDictionary>(
    options: RequireApiKeyOptions<A, RouteParamsOf<Route>>,
  ): RequestHandler<RouteParamsOf<Route>>;
  /**
   * keyward's management API (service accounts, keys, audit; see `createManagementApi` in
   * `keyward/http`) as one middleware serving every route under `basePath`, the full path; other
   * requests go on to the host's routes. `authenticate(req)` finds the person from the host's
   * session; a request without one may act with a keyward API key. The client address is
   * `req.ip` (so Express's `trust proxy` setting applies). Bodies are read and checked by the
   * API itself; mount it before `express.json()`, or after it: a body that parser already read is
   * taken as parsed (its own errors and size limit then apply). What the hooks throw goes to
   * `next(err)`. `realm` defaults to the one given to {@link keywardExpress}. Options are checked
   * here: a bad one throws `TypeError`.
   *
   * @example
   * ```ts
   * app.use(managementRouter({ basePath: '/api/keyward', authenticate: (req) => sessions.actor(req) }));
   * ```
   */
  managementRouter(options: ExpressManagementOptions): ExpressManagementRouter;
  /**
   * The endpoint a secret scanner (GitHub's secret-scanning partner program) posts leaked tokens
   * to: `leakReportHandler` of `keyward/http` on Express. Revokes (or, in `report` mode, only
   * audits) every key whose secret a report holds; `verifySignature` is the host's check of the
   * scanner's signature over the raw body. Mount it with no body parser in front of it.
   *
   * @example
   * ```ts
   * app.post('/secret-scanning', leakReports({ mode: 'revoke', verifySignature: (r) => github.verify(r) }));
   * ```
   */
  leakReports(options: LeakReportHandlerOptions): RequestHandler;
}

/** Writes a problem answer with Node's own API, so bodies and headers match other frameworks byte for byte. */
function sendDenial(res: Response, denial: HttpDenial): void {
  res.statusCode = denial.status;
  for (const [name, value] of Object.entries(denial.headers)) res.setHeader(name, value);
  res.end(JSON.stringify(denial.body));
}

/**
 * Express middleware over a keyward instance (Express 4.21+ and 5). Options are checked here and
 * in `requireApiKey`: a bad one throws `TypeError` at startup, never per request.
 *
 * Verification runs before any body parser you mount after it on the route, so refused requests
 * are never parsed.
 *
 * @example
 * ```ts
 * const { requireApiKey } = keywardExpress(kw, { realm: 'acme' });
 * app.get('/workspaces/:w/datasets/:d',
 *   requireApiKey<'/workspaces/:w/datasets/:d'>({ action: 'datasets:read',
 *     resource: (req) => directory.dataset(req.params.w, req.params.d) }),
 *   (req, res) => res.json({ key: req.keyward?.keyId }));
 * ```
 */
export function keywardExpress<A extends string, R extends string>(
  kw: Keyward<A, R>,
  options: KeywardExpressOptions = {},
): KeywardExpress<A> {
  const guard = createApiKeyGuard<VerifiedPrincipal>(kw as Keyward, options);

  function requireApiKey<Route = ParamsDictionary>(
    typedRoute: RequireApiKeyOptions<A, RouteParamsOf<Route>>,
  ): RequestHandler<RouteParamsOf<Route>> {
    // The handler runs on the route's own request: seen here as a plain Express request.
    const route = typedRoute as unknown as RequireApiKeyOptions;
    guard.assertRoute(route);
    const { action, resource, environments, cost } = route;
    const onDenied = route.onDenied ?? options.onDenied;
    const limit = route.limit ?? options.limit;

    const handler = async function keywardRequireApiKey(
      req: Request,
      res: Response,
      next: NextFunction,
    ): Promise<void> {
      try {
        const outcome = await guard.authenticate({
          headers: req.rawHeaders,
          url: req.originalUrl,
          // Express's own client address, under the app's `trust proxy` setting: found only
          // if something needs it (`req.ip` parses X-Forwarded-For on every read).
          ip: () => req.ip,
          action,
          environments,
          cost,
          resource: () => resource(req),
          limit: limit === undefined ? undefined : (principal) => limit(principal, req),
        });
        if (outcome.ok) {
          req.keyward = outcome.principal;
          for (const name in outcome.headers) res.setHeader(name, outcome.headers[name] as string);
          next();
          return;
        }
        if (onDenied !== undefined) await onDenied(outcome.denial, req, res);
        if (!res.headersSent) sendDenial(res, outcome.denial);
      } catch (error) {
        next(error);
      }
    };
    return handler as unknown as RequestHandler<RouteParamsOf<Route>>;
  }

  return {
    requireApiKey,
    managementRouter: (management) =>
      createManagementRouter(kw, management, {
        realm: options.realm,
        maxCredentialLength: options.maxCredentialLength,
        queryParams: options.queryParams,
      }),
    leakReports: (leakOptions) => createLeakReportRoute(kw, leakOptions),
  };
}
