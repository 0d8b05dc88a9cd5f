import type { Keyward } from '../../src/index.js';
import { dataRoutes } from './data-routes.js';
import { FixedWindowLimiter, type RateLimitSettings } from './fixed-window-limiter.js';
import { HostLogin } from './host-login.js';
import { hostProblem, jsonReply } from './http-reply.js';
import { managementRoutes } from './management-routes.js';
import { PlatformData } from './platform-data.js';
import { objectBody } from './request-body.js';
import type { RouteSpec } from './route-spec.js';

/** Options of {@link createExampleApi}. */
export interface ExampleApiOptions {
  /** The keyward instance (see `openExampleKeyward`). */
  kw: Keyward;
  /** Per-key rate limit through the middleware's `limit` hook; `null` turns it off. Default 600 per minute. */
  rateLimit?: RateLimitSettings | null | undefined;
  /** The public base URL (for sample code); default `http://<Host header>`. */
  publicUrl?: string | undefined;
}

/** Everything both example apps wire: the routes and the services behind them. */
export interface ExampleApi {
  readonly kw: Keyward;
  readonly routes: readonly RouteSpec[];
  readonly login: HostLogin;
  readonly limiter: FixedWindowLimiter | null;
  readonly publicUrl: string | undefined;
}

/** `POST /login`: the host's own login for humans, answering a session for the `x-session` header. */
function loginRoute(login: HostLogin): RouteSpec {
  return {
    method: 'POST',
    path: '/login',
    auth: { kind: 'public' },
    body: true,
    handle: (ctx) => {
      const body = objectBody(ctx.body);
      const found = login.login(body.user, body.password);
      if (found === null) return hostProblem(401, 'invalid_login', 'Unknown user or wrong password.');
      return jsonReply(200, {
        session: found.session,
        user: { id: found.actor.id, tenantId: found.actor.tenantId },
      });
    },
  };
}

/**
 * Builds the example API once; pass the same object to `createExpressApp` and `createFastifyApp`
 * and both serve the same data, sessions and answers.
 *
 * @example
 * ```ts
 * const api = createExampleApi({ kw });
 * const app = createExpressApp(api);
 * ```
 */
export function createExampleApi(options: ExampleApiOptions): ExampleApi {
  const login = new HostLogin();
  const data = new PlatformData();
  const rateLimit = options.rateLimit === undefined ? { limit: 600, windowSeconds: 60 } : options.rateLimit;
  return {
    kw: options.kw,
    routes: [loginRoute(login), ...dataRoutes(data), ...managementRoutes(options.kw)],
    login,
    limiter: rateLimit === null ? null : new FixedWindowLimiter(rateLimit),
    publicUrl: options.publicUrl,
  };
}
