import type { Context, Hono, MiddlewareHandler } from 'hono';
import {
  type ApiKeyGuardOptions,
  type ApiKeyRoute,
  type Awaitable,
  createApiKeyGuard,
  type HttpDenial,
  type LeakReportHandlerOptions,
  leakReportHandler,
  type RateLimitVerdict,
} from '../../src/entries/http.js';
import type { Keyward } from '../../src/keyward.js';
import type { VerifiedPrincipal } from '../../src/verify/verified-principal.js';
import { createManagementRoutes, type HonoManagementOptions } from './management-routes.js';

/** The context variables `requireApiKey` sets: `c.get('keyward')` is the verified key's principal. */
export interface KeywardHonoVariables {
  /** The verified API key's principal. */
  keyward: VerifiedPrincipal;
}

/**
 * The Hono environment of a route behind `requireApiKey`: handlers after it get a typed
 * `c.get('keyward')` (and `c.var.keyward`), only on the routes it protects.
 */
export interface KeywardHonoEnv {
  /** See {@link KeywardHonoVariables}. */
  Variables: KeywardHonoVariables;
}

/**
 * Called with every refusal before it is sent, with the precise `denial.code` (`key_revoked`,
 * `read_only`, ...) for logs and metrics. A `Response` it returns is sent instead of the default
 * RFC 9457 problem.
 */
export type HonoDeniedHook = (denial: HttpDenial, c: Context) => Awaitable<Response | undefined>;

/** A host rate limiter, asked once a key is verified; `{ limited: true, retryAfterSeconds }` answers 429. */
export type HonoLimitHook = (principal: VerifiedPrincipal, c: Context) => Awaitable<RateLimitVerdict>;

/** Options of {@link keywardHono}: defaults for every route, validated when it is called. */
export interface KeywardHonoOptions extends ApiKeyGuardOptions {
  /** See {@link HonoDeniedHook}. */
  onDenied?: HonoDeniedHook | undefined;
  /** See {@link HonoLimitHook}. */
  limit?: HonoLimitHook | undefined;
  /**
   * The client address of a request (a Web `Request` carries none): `getConnInfo(c).remote.address`
   * from your runtime's Hono helper, behind your own proxy-trust decision. Passed to `verify` and
   * recorded by the management API's audit trail. Default: none.
   */
  clientAddress?: ((c: Context) => string | undefined) | undefined;
}

/**
 * What one protected route declares; `onDenied` and `limit` override the defaults. `A` is the
 * catalog's permission names, `Path` the route's path (`'/workspaces/:w'` types `c.req.param('w')`).
 */
export interface HonoApiKeyRoute<A extends string = string, Path extends string = string>
  extends ApiKeyRoute<Context<KeywardHonoEnv, Path>, A> {
  /** This route's {@link HonoDeniedHook}, instead of the one given to {@link keywardHono}. */
  onDenied?: HonoDeniedHook | undefined;
  /** This route's {@link HonoLimitHook}, instead of the one given to {@link keywardHono}. */
  limit?: HonoLimitHook | undefined;
}

/** What {@link keywardHono} returns; `A` is the instance's permission names. */
export interface KeywardHono<A extends string = string> {
  /**
   * A middleware admitting only requests whose API key may perform `action` on the resource
   * `resource(c)` resolves. The key is verified first: `resource` runs only for a valid key, so
   * every bad key gets the same 401 on every URL and costs no lookup. Sets `c.get('keyward')`;
   * refusals are answered with a problem body; what `resource`, `limit` or `onDenied` throw goes
   * to `app.onError`. Give the route path as type argument to type `c.req.param()` in `resource`.
   *
   * @example
   * ```ts
   * app.get('/workspaces/:w/datasets/:d', requireApiKey<'/workspaces/:w/datasets/:d'>({
   *   action: 'datasets:read', resource: (c) => directory.dataset(c.req.param('w'), c.req.param('d')) }),
   *   (c) => c.json({ key: c.get('keyward').keyId }));
   * ```
   */
  requireApiKey<Path extends string = string>(
    route: HonoApiKeyRoute<A, Path>,
  ): MiddlewareHandler<KeywardHonoEnv, Path>;
  /**
   * keyward's management API (service accounts, keys, audit; see `managementFetchHandler` in
   * `keyward/http`) as a Hono app serving every route under `basePath`, the full path: mount it
   * with `app.route('/', managementRoutes(...))`. `authenticate(c)` finds the person from the
   * host's session; a request without one may act with a keyward API key. `realm` and
   * `clientAddress` default to those given to {@link keywardHono}. Options are checked here: a bad
   * one throws `TypeError`.
   *
   * @example
   * ```ts
   * app.route('/', managementRoutes({ basePath: '/api/keyward', authenticate: (c) => sessions.actor(c) }));
   * ```
   */
  managementRoutes(options: HonoManagementOptions): Hono;
  /**
   * The endpoint a secret scanner (GitHub's secret-scanning partner program) posts leaked tokens
   * to: `leakReportHandler` of `keyward/http` as a Hono handler. Revokes (or, in `report` mode,
   * only audits) every key whose secret a report holds; `verifySignature` is the host's check of
   * the scanner's signature over the raw body.
   *
   * @example
   * ```ts
   * app.post('/secret-scanning', leakReports({ mode: 'revoke', verifySignature: (r) => github.verify(r) }));
   * ```
   */
  leakReports(options: LeakReportHandlerOptions): (c: Context) => Promise<Response>;
}

/** The default answer to a refusal: the RFC 9457 problem, the same bytes as every other mount. */
function denialResponse(denial: HttpDenial): Response {
  return new Response(JSON.stringify(denial.body), { status: denial.status, headers: denial.headers });
}

/**
 * Hono middleware over a keyward instance (Hono 4, on every runtime Hono runs on). Options are
 * checked here and in `requireApiKey`: a bad one throws `TypeError` at startup, never per request.
 *
 * @example
 * ```ts
 * const { requireApiKey, managementRoutes } = keywardHono(kw, { realm: 'acme' });
 * app.get('/workspaces/:w/datasets/:d',
 *   requireApiKey<'/workspaces/:w/datasets/:d'>({ action: 'datasets:read',
 *     resource: (c) => directory.dataset(c.req.param('w'), c.req.param('d')) }),
 *   (c) => c.json({ key: c.get('keyward').keyId }));
 * ```
 */
export function keywardHono<A extends string, R extends string>(
  kw: Keyward<A, R>,
  options: KeywardHonoOptions = {},
): KeywardHono<A> {
  const guard = createApiKeyGuard<VerifiedPrincipal>(kw as Keyward, options);
  const clientAddress = options.clientAddress;
  if (clientAddress !== undefined && typeof clientAddress !== 'function') {
    throw new TypeError('keyward: clientAddress must be a function (c) => string | undefined');
  }

  function requireApiKey<Path extends string = string>(
    typedRoute: HonoApiKeyRoute<A, Path>,
  ): MiddlewareHandler<KeywardHonoEnv, Path> {
    // The middleware runs on the route's own context: seen here with its path left generic.
    const route = typedRoute as unknown as HonoApiKeyRoute<string, Path>;
    guard.assertRoute(route);
    const { action, resource, environments, cost } = route;
    const onDenied = route.onDenied ?? options.onDenied;
    const limit = route.limit ?? options.limit;

    return async function keywardRequireApiKey(c, next) {
      const outcome = await guard.authenticate({
        headers: c.req.raw.headers,
        url: c.req.url,
        ip: clientAddress === undefined ? undefined : () => clientAddress(c),
        action,
        environments,
        cost,
        resource: () => resource(c),
        limit: limit === undefined ? undefined : (principal) => limit(principal, c),
      });
      if (outcome.ok) {
        c.set('keyward', outcome.principal);
        for (const name in outcome.headers) c.header(name, outcome.headers[name]);
        await next();
        return;
      }
      const answer = onDenied === undefined ? undefined : await onDenied(outcome.denial, c);
      return answer ?? denialResponse(outcome.denial);
    };
  }

  return {
    requireApiKey,
    managementRoutes: (management) =>
      createManagementRoutes(kw, management, {
        realm: options.realm,
        clientAddress,
        maxCredentialLength: options.maxCredentialLength,
        queryParams: options.queryParams,
      }),
    leakReports: (leakOptions) => {
      const handler = leakReportHandler(kw, leakOptions);
      return (c: Context) => handler.fetch(c.req.raw);
    },
  };
}
