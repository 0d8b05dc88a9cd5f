import type { NextFunction, Request, RequestHandler, Response } from 'express';
import {
  type ApiKeyGuardOptions,
  type ApiKeyRoute,
  type Awaitable,
  createApiKeyGuard,
  type HttpDenial,
  type RateLimitVerdict,
} from '../../src/http/index.js';
import type { Keyward } from '../../src/keyward.js';
import type { VerifiedPrincipal } from '../../src/verify/verified-principal.js';

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

/** What one protected route declares; `onDenied` and `limit` override the defaults. */
export interface RequireApiKeyOptions extends ApiKeyRoute<Request> {
  onDenied?: ExpressDeniedHook | undefined;
  limit?: ExpressLimitHook | undefined;
}

/** The middleware factory {@link keywardExpress} returns. */
export interface KeywardExpress {
  /**
   * A middleware admitting only requests whose API key may perform `action` on the resource
   * `resource(req)` resolves. The key is verified first: `resource` runs only for a valid key, so
   * every bad key gets the same 401 on every URL and costs no lookup. Sets `req.keyward`;
   * refusals are answered with a problem body; unexpected errors (from `resource`, `limit` or
   * `onDenied`) go to `next(err)`.
   */
  requireApiKey(options: RequireApiKeyOptions): RequestHandler;
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
 *   requireApiKey({ action: 'datasets:read',
 *     resource: (req) => directory.dataset(req.params.w, req.params.d) }),
 *   (req, res) => res.json({ key: req.keyward?.keyId }));
 * ```
 */
export function keywardExpress(kw: Keyward, options: KeywardExpressOptions = {}): KeywardExpress {
  const guard = createApiKeyGuard<VerifiedPrincipal>(kw, options);

  function requireApiKey(route: RequireApiKeyOptions): RequestHandler {
    guard.assertRoute(route);
    const { action, resource } = route;
    const onDenied = route.onDenied ?? options.onDenied;
    const limit = route.limit ?? options.limit;

    return async function keywardRequireApiKey(
      req: Request,
      res: Response,
      next: NextFunction,
    ): Promise<void> {
      try {
        const outcome = await guard.authenticate({
          headers: req.rawHeaders,
          url: req.originalUrl,
          // No `req.ip`: Express computes it through its proxy-trust rules on every read, and
          // verification does not use it.
          action,
          resource: () => resource(req),
          limit: limit === undefined ? undefined : (principal) => limit(principal, req),
        });
        if (outcome.ok) {
          req.keyward = outcome.principal;
          next();
          return;
        }
        if (onDenied !== undefined) await onDenied(outcome.denial, req, res);
        if (!res.headersSent) sendDenial(res, outcome.denial);
      } catch (error) {
        next(error);
      }
    };
  }

  return { requireApiKey };
}
