import type { FastifyPluginAsync, FastifyReply, FastifyRequest, RouteGenericInterface } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import {
  type ApiKeyGuard,
  type ApiKeyGuardOptions,
  type ApiKeyRoute,
  type Awaitable,
  createApiKeyGuard,
  type HttpDenial,
  type RateLimitVerdict,
  type RequestResource,
} from '../../src/entries/http.js';
import type { Keyward } from '../../src/keyward.js';
import type { VerifiedPrincipal } from '../../src/verify/verified-principal.js';

/**
 * Called with every refusal before it is sent, with the precise `denial.code` for logs and
 * metrics. If the hook sends a reply itself, that reply stands; otherwise the default RFC 9457
 * problem is sent.
 */
export type FastifyDeniedHook = (
  denial: HttpDenial,
  request: FastifyRequest,
  reply: FastifyReply,
) => void | Promise<void>;

/** A host rate limiter, asked once a key is verified; `{ limited: true, retryAfterSeconds }` answers 429. */
export type FastifyLimitHook = (
  principal: VerifiedPrincipal,
  request: FastifyRequest,
) => Awaitable<RateLimitVerdict>;

/** What a route puts under `config.keyward`; `onDenied` and `limit` override the plugin's. */
export interface KeywardRouteConfig extends ApiKeyRoute<FastifyRequest> {
  onDenied?: FastifyDeniedHook | undefined;
  limit?: FastifyLimitHook | undefined;
}

/** Options of {@link keywardFastify}, validated when the plugin is registered. */
export interface KeywardFastifyOptions extends ApiKeyGuardOptions {
  /** The keyward instance. */
  keyward: Keyward;
  /** See {@link FastifyDeniedHook}. */
  onDenied?: FastifyDeniedHook | undefined;
  /** See {@link FastifyLimitHook}. */
  limit?: FastifyLimitHook | undefined;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified API key's principal on routes keyward protects; `null` elsewhere. */
    keyward: VerifiedPrincipal | null;
  }
  interface FastifyContextConfig {
    /** Protects the route: the action it requires and how to resolve its resource. */
    keyward?: KeywardRouteConfig | undefined;
  }
  interface FastifyInstance {
    /**
     * An `onRequest` hook protecting a route as `config.keyward` would, for routes that combine
     * keyward with another authentication (checked when called).
     */
    keywardHook(route: KeywardRouteConfig): (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
}

/** The `onRequest` handler of one protected route. */
type RouteHook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

/** Builds the `onRequest` handler of one route. */
function routeHook(
  guard: ApiKeyGuard<VerifiedPrincipal>,
  route: KeywardRouteConfig,
  plugin: KeywardFastifyOptions,
): RouteHook {
  guard.assertRoute(route);
  const { action, resource, environments, cost } = route;
  const onDenied = route.onDenied ?? plugin.onDenied;
  const limit = route.limit ?? plugin.limit;

  return async function keywardOnRequest(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const outcome = await guard.authenticate({
      headers: request.raw.rawHeaders,
      url: request.url,
      ip: () => request.ip,
      action,
      environments,
      cost,
      resource: () => resource(request),
      limit: limit === undefined ? undefined : (principal) => limit(principal, request),
    });
    if (outcome.ok) {
      request.keyward = outcome.principal;
      for (const name in outcome.headers) reply.header(name, outcome.headers[name]);
      return;
    }
    if (onDenied !== undefined) await onDenied(outcome.denial, request, reply);
    if (!reply.sent) {
      // A Buffer, so Fastify sends the media type as given (it appends a charset to strings).
      await reply
        .code(outcome.denial.status)
        .headers(outcome.denial.headers)
        .send(Buffer.from(JSON.stringify(outcome.denial.body)));
    }
  };
}

const plugin: FastifyPluginAsync<KeywardFastifyOptions> = async (fastify, options) => {
  const guard = createApiKeyGuard<VerifiedPrincipal>(options.keyward, options);
  const hooks = new WeakMap<KeywardRouteConfig, RouteHook>();
  const hookFor = (route: KeywardRouteConfig): RouteHook => {
    let hook = hooks.get(route);
    if (hook === undefined) {
      hook = routeHook(guard, route, options);
      hooks.set(route, hook);
    }
    return hook;
  };
  fastify.decorateRequest('keyward', null);
  fastify.decorate('keywardHook', (route: KeywardRouteConfig) => routeHook(guard, route, options));
  // Routes declared from now on are checked at startup; earlier ones on their first request.
  fastify.addHook('onRoute', (routeOptions) => {
    const route = routeOptions.config?.keyward;
    if (route !== undefined) hookFor(route);
  });
  // A root hook (fastify-plugin lifts it out of encapsulation) sees every route, whenever declared.
  // Not an async function: a route keyward does not protect goes on at once (`done()`, no
  // promise to settle first); a protected one returns the route hook's promise, which Fastify
  // awaits as it awaits an async hook (a rejection goes to the error handler).
  fastify.addHook('onRequest', (request, reply, done) => {
    const route = request.routeOptions.config.keyward;
    if (route === undefined) {
      done();
      return undefined;
    }
    return hookFor(route)(request, reply);
  });
};

/**
 * The Fastify 5 plugin: register it once, then protect routes with `config.keyward`. Verification
 * runs in `onRequest`, before the body is parsed; `request.keyward` holds the principal. The key
 * is verified before the route's `resource` runs (a bad key gets the same 401 on every URL and
 * costs no lookup); what `resource`, `limit` or `onDenied` throw goes to the error handler. Options
 * and every route's config are checked when registered: a bad one throws `TypeError` at startup.
 *
 * `await` the registration so that route configs are checked as routes are declared.
 *
 * @example
 * ```ts
 * await app.register(keywardFastify, { keyward: kw, realm: 'acme' });
 * app.get('/workspaces/:w/datasets/:d', {
 *   config: { keyward: { action: 'datasets:read', resource: (req) => directory.dataset(req.params) } },
 * }, async (req) => ({ key: req.keyward?.keyId }));
 * ```
 */
export const keywardFastify = fastifyPlugin(plugin, { name: 'keyward', fastify: '5.x' });

/**
 * A route's `config.keyward` typed for one route and one keyward instance: `action` is a
 * permission of the instance's catalog and `resource` receives the route's typed request
 * (`request.params` as the route generic declares them).
 */
export interface TypedKeywardRoute<RouteGeneric extends RouteGenericInterface, A extends string>
  extends Omit<KeywardRouteConfig, 'action' | 'resource'> {
  /** The permission the route requires, from the instance's catalog. */
  action: A;
  /** Resolves the resource from the route's typed request; `null` when it does not exist (404). */
  resource: (request: FastifyRequest<RouteGeneric>) => Awaitable<RequestResource | null>;
}

/**
 * Route configs typed for one keyward instance. Fastify does not carry a route's generic into its
 * `config`, so the helper takes it explicitly: the same generic as the route's.
 *
 * @example
 * ```ts
 * const route = keywardRoutes(kw);
 * type Dataset = { Params: { w: string; d: string } };
 * app.get<Dataset>('/workspaces/:w/datasets/:d', {
 *   config: { keyward: route<Dataset>({ action: 'datasets:read', resource: (req) => directory.dataset(req.params.w, req.params.d) }) },
 * }, async (req) => ({ key: req.keyward?.keyId }));
 * ```
 */
export function keywardRoutes<A extends string, R extends string>(
  _kw: Keyward<A, R>,
): <RouteGeneric extends RouteGenericInterface = RouteGenericInterface>(
  route: TypedKeywardRoute<RouteGeneric, A>,
) => KeywardRouteConfig {
  // The request Fastify passes to `resource` is the route's own: the generic only names its shape.
  return (route) => route as unknown as KeywardRouteConfig;
}
