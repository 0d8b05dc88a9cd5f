import { type Context, Hono } from 'hono';
import {
  type Awaitable,
  type ManagementApiOptions,
  managementFetchHandler,
  type RateLimitVerdict,
} from '../../src/entries/http.js';
import type { Keyward } from '../../src/keyward.js';
import type { Actor } from '../../src/management/actor.js';

/**
 * Finds the person a Hono request acts for, from the host's session or JWT: an {@link Actor},
 * or `null` when there is none (the request may still act with an API key).
 */
export type HonoAuthenticateHook = (c: Context) => Awaitable<Actor | null | undefined>;

/**
 * A host rate limiter for management calls, asked once the actor is known (person or key);
 * `{ limited: true, retryAfterSeconds }` answers 429 with `Retry-After`.
 */
export type HonoManagementLimitHook = (actor: Actor, c: Context) => Awaitable<RateLimitVerdict>;

/** Options of `managementRoutes`: the management API's, with hooks that receive the Hono context. */
export interface HonoManagementOptions extends Omit<ManagementApiOptions<Request>, 'authenticate' | 'limit'> {
  /** See {@link HonoAuthenticateHook}. */
  authenticate: HonoAuthenticateHook;
  /** See {@link HonoManagementLimitHook}. */
  limit?: HonoManagementLimitHook | undefined;
  /**
   * The client address, recorded in the audit trail: `getConnInfo(c).remote.address` from your
   * runtime's Hono helper. Default: the one given to `keywardHono`, else none.
   */
  clientAddress?: ((c: Context) => string | undefined) | undefined;
}

/**
 * Builds the Hono app serving the management API under its base path, on
 * `managementFetchHandler`: the hooks get the Hono context of the request they are asked about.
 *
 * @internal
 */
export function createManagementRoutes<A extends string, R extends string>(
  kw: Keyward<A, R>,
  options: HonoManagementOptions,
  defaults: Pick<HonoManagementOptions, 'realm' | 'clientAddress' | 'maxCredentialLength' | 'queryParams'>,
): Hono {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('keyward: managementRoutes needs options { authenticate, basePath? }');
  }
  const { authenticate, limit } = options;
  const clientAddress = options.clientAddress ?? defaults.clientAddress;
  if (clientAddress !== undefined && typeof clientAddress !== 'function') {
    throw new TypeError('keyward: clientAddress must be a function (c) => string | undefined');
  }
  // The handler sees Web requests; each is tied to its Hono context while it is answered.
  const contexts = new WeakMap<Request, Context>();
  const contextOf = (request: Request | undefined): Context => {
    const c = request === undefined ? undefined : contexts.get(request);
    if (c === undefined) throw new Error('keyward: a management request lost its Hono context');
    return c;
  };
  // Hooks that are not functions are passed as they are, for the API's own startup checks.
  const handler = managementFetchHandler(kw, {
    ...options,
    realm: options.realm ?? defaults.realm,
    maxCredentialLength: options.maxCredentialLength ?? defaults.maxCredentialLength,
    queryParams: options.queryParams ?? defaults.queryParams,
    authenticate:
      typeof authenticate === 'function' ? (request) => authenticate(contextOf(request.raw)) : authenticate,
    limit: typeof limit === 'function' ? (actor, request) => limit(actor, contextOf(request.raw)) : limit,
    clientAddress: clientAddress === undefined ? undefined : (request) => clientAddress(contextOf(request)),
  });

  const serve = async (c: Context): Promise<Response> => {
    let request = c.req.raw;
    // A middleware that read the body (`c.req.json()`) left it in Hono's cache: hand it on.
    if (request.bodyUsed) request = new Request(request, { body: await c.req.arrayBuffer() });
    contexts.set(request, c);
    return handler(request);
  };
  const base = handler.api.basePath;
  const app = new Hono();
  app.all(base === '' ? '/' : base, serve);
  app.all(`${base}/*`, serve);
  return app;
}
