import type { NextFunction, Request, RequestHandler, Response } from 'express';
import {
  type Awaitable,
  createManagementApi,
  type ManagementApi,
  type ManagementApiOptions,
  type RateLimitVerdict,
} from '../../src/entries/http.js';
import type { Keyward } from '../../src/keyward.js';
import type { Actor } from '../../src/management/actor.js';
import { normalizedTarget } from '../../src/management-api/management-api.js';
import { DEFAULT_MAX_BODY_BYTES } from '../../src/management-api/request-body.js';
import { readLimitedBody } from '../node/request-body.js';
import { sendAnswer } from '../node/send-answer.js';

/**
 * Finds the person an Express request acts for, from the host's session or JWT: an
 * {@link Actor}, or `null` when there is none (the request may still act with an API key).
 */
export type ExpressAuthenticateHook = (req: Request) => Awaitable<Actor | null | undefined>;

/**
 * A host rate limiter for management calls, asked once the actor is known (person or key);
 * `{ limited: true, retryAfterSeconds }` answers 429 with `Retry-After`.
 */
export type ExpressManagementLimitHook = (actor: Actor, req: Request) => Awaitable<RateLimitVerdict>;

/** Options of `managementRouter`: the management API's, with hooks that receive the Express request. */
export interface ExpressManagementOptions
  extends Omit<ManagementApiOptions<Request>, 'authenticate' | 'limit'> {
  /** See {@link ExpressAuthenticateHook}. */
  authenticate: ExpressAuthenticateHook;
  /** See {@link ExpressManagementLimitHook}. */
  limit?: ExpressManagementLimitHook | undefined;
}

/** The middleware `managementRouter` returns, with the API it serves (its OpenAPI document, its base path). */
export type ExpressManagementRouter = RequestHandler & {
  /** The API the router serves. */
  readonly api: ManagementApi<Request>;
};

/** True when `url` (path and query) is `base` or under it. */
function isUnder(url: string, base: string): boolean {
  if (base === '') return true;
  const mark = url.indexOf('?');
  const pathname = mark === -1 ? url : url.slice(0, mark);
  return pathname === base || pathname.startsWith(`${base}/`);
}

/** Methods whose requests carry no body under the Fetch API: ignored on every mount alike. */
const BODYLESS = new Set(['GET', 'HEAD']);

/**
 * The body to hand the API: none for GET and HEAD; what a host body parser mounted earlier
 * made of it (`express.json()`: parsed JSON; `express.text()` / `express.raw()`: raw); else the
 * raw bytes, read here up to `limit` bytes.
 */
async function bodyOf(req: Request, limit: number): Promise<unknown> {
  if (BODYLESS.has(req.method)) return undefined;
  if (req.readableEnded) return req.body as unknown;
  return readLimitedBody(req, limit);
}

/**
 * Builds the management router: the core API with the Express hooks adapted to it.
 *
 * @internal
 */
export function createManagementRouter<A extends string, R extends string>(
  kw: Keyward<A, R>,
  options: ExpressManagementOptions,
  defaults: Pick<ExpressManagementOptions, 'realm' | 'maxCredentialLength' | 'queryParams'>,
): ExpressManagementRouter {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('keyward: managementRouter needs options { authenticate, basePath? }');
  }
  const { authenticate, limit } = options;
  // Hooks that are not functions are passed as they are, for the API's own startup checks.
  const api = createManagementApi<Request, A, R>(kw, {
    ...options,
    realm: options.realm ?? defaults.realm,
    maxCredentialLength: options.maxCredentialLength ?? defaults.maxCredentialLength,
    queryParams: options.queryParams ?? defaults.queryParams,
    authenticate:
      typeof authenticate === 'function' ? (request) => authenticate(request.raw as Request) : authenticate,
    limit: typeof limit === 'function' ? (actor, request) => limit(actor, request.raw as Request) : limit,
  });
  const base = api.basePath;
  const bodyLimit = (options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES) + 1;

  const router = async function keywardManagementRouter(
    req: Request,
    res: Response,
    next: NextFunction,
  ): Promise<void> {
    // The target as the API routes it (dot segments resolved, an absolute-form target's path).
    if (!isUnder(normalizedTarget(req.originalUrl), base)) {
      next();
      return;
    }
    try {
      const answer = await api.handle({
        method: req.method,
        path: req.originalUrl,
        headers: req.rawHeaders,
        body: await bodyOf(req, bodyLimit),
        ip: req.ip,
        raw: req,
      });
      sendAnswer(res, answer);
    } catch (error) {
      next(error);
    }
  };
  return Object.assign(router as RequestHandler, { api });
}
