import type { KeyEnvironment } from '../entities/api-key.js';
import type { RateLimitStatus } from '../verify/verify-result.js';
import type { ClientAddress } from './client-address.js';
import { LazyAddressRequest } from './client-address.js';
import {
  type CredentialExtractionOptions,
  type CredentialExtractor,
  createCredentialExtractor,
} from './credential-extraction.js';
import {
  type FailedVerificationThrottleOptions,
  failureThrottleOf,
  settleThrottle,
  throttleAdmit,
  tooManyFailures,
} from './failed-verification-throttle.js';
import type { HeaderSource } from './header-source.js';
import { type HttpDenial, httpDenial } from './http-denial.js';
import { rateLimitHeaders } from './rate-limit-headers.js';
import { type VerifyFailureFacts, verifyDenial } from './verify-denial.js';
import { validateRealm } from './www-authenticate.js';

/** The resource a request acts on, as the host's route resolves it (never taken from the key). */
export interface RequestResource {
  tenantId: string;
  workspaceId?: string | undefined;
  datasetId?: string | undefined;
}

/**
 * Resolves the resource of a request once its credential is verified; `null` when it does not
 * exist. Called by `verify` with the verified principal, never for a failed credential.
 */
export type RequestResourceResolver<P> = (principal: P) => Awaitable<RequestResource | null>;

/**
 * What the guard needs of a `Keyward` instance: `verify`, and the permission catalog when there
 * is one (routes naming an action outside it are refused when they are declared).
 *
 * `verify` must check the credential first (parse, lookup, secret, key and account status,
 * expiry) and call a resolver given as `resource` only once it passed; it answers
 * `resource_not_found` when the resolver answers `null`, and `evaluation_error` when it throws.
 */
export interface ApiKeyVerifier<P> {
  /** Verifies `token` for `request`, as `Keyward.verify` does: never throws for a bad token. */
  verify(
    token: unknown,
    request: {
      action: string;
      resource: RequestResource | RequestResourceResolver<P>;
      ip?: string | undefined;
      environments?: readonly KeyEnvironment[] | undefined;
      cost?: number | undefined;
    },
  ): Promise<
    | { ok: true; principal: P; rateLimits?: readonly RateLimitStatus[] | undefined }
    | ({ ok: false } & VerifyFailureFacts)
  >;
  readonly policy?: { readonly permissions: { readonly permissions: readonly { readonly name: string }[] } };
}

/** What a protected route declares; `A` is the catalog's permission names. */
export interface ApiKeyRoute<Req, A extends string = string> {
  /** The permission the route requires, from the catalog (e.g. `datasets:read`). */
  action: A;
  /**
   * Resolves what the request touches from the host's own data (path parameters looked up in
   * the host's directory), never from the key. Return `null` when it does not exist: 404. Called
   * only once the request's API key is verified (a bad key costs no lookup); what it throws goes
   * to the framework's error handling.
   */
  resource: (request: Req) => Awaitable<RequestResource | null>;
  /**
   * The key environments the route accepts (default: the instance's `acceptEnvironments`, both
   * unless configured): a valid key of another one gets 401 `environment_not_accepted`.
   */
  environments?: readonly KeyEnvironment[] | undefined;
  /**
   * Usage credits a request to the route spends from a key that has credits (default 1; 0 spends
   * none): an expensive report can cost 10. An integer of at least 0.
   */
  cost?: number | undefined;
}

/**
 * A host rate limiter's answer for one verified request: `{ limited: true, retryAfterSeconds }`
 * refuses it with 429 and `Retry-After`; `undefined` or `{ limited: false }` lets it through.
 */
export type RateLimitVerdict = { limited: false } | { limited: true; retryAfterSeconds: number } | undefined;

/** A value or a promise of it. */
export type Awaitable<T> = T | Promise<T>;

/** Options of {@link createApiKeyGuard}, validated when it is built. */
export interface ApiKeyGuardOptions extends CredentialExtractionOptions {
  /** The `realm` of `WWW-Authenticate` challenges; default `'api'`. */
  realm?: string | undefined;
  /** Base URI of problem `type`s (see `ProblemOptions`); default `about:blank` types. */
  typeBaseUri?: string | undefined;
  /**
   * A budget of failed verifications (malformed token, unknown key, wrong secret) per client
   * address (IPv6 by /64): once spent, 429 `too_many_failures` with `Retry-After`, before any
   * storage read. Default: 100 per minute (`DEFAULT_FAILED_VERIFICATION_THROTTLE` of `keyward/http`); `false`
   * turns it off (e.g. when `createKeyward`'s `failedVerificationThrottle` already guards every
   * verification). Needs the client address: without one nothing is throttled.
   */
  failedVerificationThrottle?: FailedVerificationThrottleOptions | false | undefined;
}

/** One request to authenticate, in framework-free terms. */
export interface GuardRequest<P> {
  /** The request headers (Node `rawHeaders` preferred: repeated headers stay visible). */
  headers: HeaderSource;
  /** The request target, checked for tokens in the query string. */
  url?: string | undefined;
  /**
   * The client address, passed to `verify`: the address, or a function that finds it, called at
   * most once and only when something needs it (an IP allowlist, the failed-verification
   * throttle once an address has failed, an observer). See {@link ClientAddress}.
   */
  ip?: ClientAddress | undefined;
  /** The permission the route requires. */
  action: string;
  /**
   * Resolves the resource from the request; `null` when it does not exist (answered 404). Called
   * only after the credential is verified; what it throws, `authenticate` throws.
   */
  resource: () => Awaitable<RequestResource | null>;
  /** Optional host rate limiter, asked once the key is verified. */
  limit?: ((principal: P) => Awaitable<RateLimitVerdict>) | undefined;
  /** The key environments the route accepts; default: the instance's. */
  environments?: readonly KeyEnvironment[] | undefined;
  /** Usage credits the request spends (default 1). */
  cost?: number | undefined;
}

/**
 * What a guard answers: the verified principal with the headers to add to the response (the
 * `RateLimit` fields when the key has rate limits; often none), or a ready-to-send denial.
 */
export type GuardOutcome<P> =
  | { ok: true; principal: P; headers: Readonly<Record<string, string>> }
  | { ok: false; denial: HttpDenial };

/** True for a promise or any `then`-able, as `await` takes it. */
function isThenable<T>(value: Awaitable<T>): value is Promise<T> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** No header to add: shared, frozen. */
const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

/** A request guard with its options applied; see {@link createApiKeyGuard}. */
export interface ApiKeyGuard<P> {
  /** Authenticates and authorizes one request. Throws only what the host's own callbacks throw. */
  authenticate(request: GuardRequest<P>): Promise<GuardOutcome<P>>;
  /** Throws `TypeError` unless `route` names a catalog action and a resource function. */
  assertRoute<Req>(route: ApiKeyRoute<Req, string>): void;
  /** The validated realm. */
  readonly realm: string;
}

/**
 * Throws `TypeError` unless the framework hooks a middleware takes (`onDenied`, `limit`), on its
 * options or on a route, are functions when given.
 */
function assertHooks(owner: object): void {
  for (const name of ['onDenied', 'limit'] as const) {
    const value = (owner as Record<string, unknown>)[name];
    if (value !== undefined && typeof value !== 'function') {
      throw new TypeError(`keyward: ${name} must be a function`);
    }
  }
}

function assertOptions(options: ApiKeyGuardOptions): void {
  assertHooks(options);
  const max = options.maxCredentialLength;
  if (max !== undefined && (!Number.isInteger(max) || max < 64 || max > 16_384)) {
    throw new TypeError('keyward: maxCredentialLength must be an integer between 64 and 16384');
  }
  const params = options.queryParams;
  if (
    params !== undefined &&
    (!Array.isArray(params) || !params.every((p) => typeof p === 'string' && p !== ''))
  ) {
    throw new TypeError('keyward: queryParams must be an array of non-empty strings');
  }
  const base = options.typeBaseUri;
  if (base !== undefined && (typeof base !== 'string' || !URL.canParse(base))) {
    throw new TypeError('keyward: typeBaseUri must be an absolute URI');
  }
}

/** The permission names of the verifier's catalog, or `null` when it exposes none. */
function catalogActions(verifier: ApiKeyVerifier<unknown>): ReadonlySet<string> | null {
  const catalog = verifier.policy?.permissions.permissions;
  return catalog === undefined ? null : new Set(catalog.map((permission) => permission.name));
}

/** Throws `TypeError` unless `route` names a catalog action and a resource function. */
function assertRouteAgainst<Req>(actions: ReadonlySet<string> | null, route: ApiKeyRoute<Req>): void {
  if (route === null || typeof route !== 'object') throw new TypeError('keyward: route options are required');
  if (typeof route.action !== 'string' || (actions !== null && !actions.has(route.action))) {
    throw new TypeError(
      `keyward: action must be a permission of the catalog, got ${JSON.stringify(route.action)}`,
    );
  }
  if (typeof route.resource !== 'function') {
    throw new TypeError(
      'keyward: resource must be a function (request) => { tenantId, workspaceId?, datasetId? }',
    );
  }
  assertHooks(route);
  assertEnvironments(route.environments);
  const cost = route.cost;
  if (cost !== undefined && (!Number.isSafeInteger(cost) || cost < 0)) {
    throw new TypeError('keyward: cost must be an integer of at least 0');
  }
}

/** Throws `TypeError` unless `environments` is absent or a non-empty list of distinct environments. */
function assertEnvironments(environments: unknown): void {
  if (environments === undefined) return;
  if (
    !Array.isArray(environments) ||
    environments.length === 0 ||
    new Set(environments).size !== environments.length ||
    !environments.every((environment) => environment === 'live' || environment === 'test')
  ) {
    throw new TypeError("keyward: environments must be a non-empty list of distinct 'live' / 'test'");
  }
}

/**
 * Builds the framework-free request path every middleware shares: extract the credential (400 /
 * 401 before any lookup), `verify` it, which resolves the resource only once the key passed (a
 * missing resource is 404, to a valid key only), ask the host limiter, and turn any refusal into
 * an {@link HttpDenial}. Every credential failure is the same 401 on every URL, and costs the
 * host no resource lookup: nothing to probe. Options are checked here: a bad one throws
 * `TypeError` at startup, never per request.
 *
 * @example
 * ```ts
 * const guard = createApiKeyGuard(kw, { realm: 'acme' });
 * const outcome = await guard.authenticate({ headers: req.rawHeaders, url: req.url, action: 'datasets:read',
 *   resource: () => ({ tenantId: 't_1', workspaceId: 'w_1', datasetId: 'd_1' }) });
 * ```
 */
export function createApiKeyGuard<P>(
  verifier: ApiKeyVerifier<P>,
  options: ApiKeyGuardOptions = {},
): ApiKeyGuard<P> {
  if (verifier === null || typeof verifier !== 'object' || typeof verifier.verify !== 'function') {
    throw new TypeError('keyward: expected a Keyward instance (an object with verify())');
  }
  assertOptions(options);
  const realm = validateRealm(options.realm ?? 'api');
  const extract: CredentialExtractor = createCredentialExtractor(options);
  const typeBaseUri = options.typeBaseUri;
  const deny = (code: string, action: string, retryAfterSeconds?: number): GuardOutcome<P> => ({
    ok: false,
    denial: httpDenial(code, { realm, action, retryAfterSeconds, typeBaseUri }),
  });
  const throttle = failureThrottleOf(options.failedVerificationThrottle);
  const denialContext = { realm, typeBaseUri };

  // The path of a valid key awaits only `verify`: no wrapper promise around it for the
  // throttle (which reads nothing until an address has failed), and none around the host's
  // resolver when it answers synchronously.
  async function authenticate(request: GuardRequest<P>): Promise<GuardOutcome<P>> {
    const { action } = request;
    const credential = extract(request);
    if (credential.kind === 'missing') return deny('missing_credentials', action);
    if (credential.kind === 'invalid') return deny(credential.reason, action);
    // `verify` calls the resolver only once the credential passed, and turns a throw into
    // `evaluation_error`: the host's own error is kept and rethrown for its error handling.
    let hostError: { readonly error: unknown } | undefined;
    const resolve = () => {
      try {
        const resource = request.resource();
        if (!isThenable(resource)) return resource;
        return Promise.resolve(resource).catch((error: unknown) => {
          hostError = { error };
          throw error;
        });
      } catch (error) {
        hostError = { error };
        throw error;
      }
    };
    // The address is found only if something reads it: the throttle (once an address failed),
    // an IP allowlist, an observer.
    const verifyRequest = new LazyAddressRequest(
      action,
      resolve,
      request.ip,
      request.environments,
      request.cost,
    );
    const admission = throttleAdmit(throttle, verifyRequest);
    if (admission.wait > 0) return refuse(tooManyFailures(admission.wait), action);
    const result = await verifier.verify(credential.token, verifyRequest);
    if (hostError !== undefined) throw hostError.error;
    settleThrottle(throttle, admission, result, verifyRequest);
    if (!result.ok) return refuse(result, action);
    const verdict = request.limit === undefined ? undefined : await request.limit(result.principal);
    if (verdict?.limited === true) return deny('rate_limited', action, verdict.retryAfterSeconds);
    const limits = result.rateLimits;
    const headers = limits === undefined || limits.length === 0 ? NO_HEADERS : rateLimitHeaders(limits);
    return { ok: true, principal: result.principal, headers };
  }

  /** The denial of a failed verification. */
  function refuse(failure: VerifyFailureFacts, action: string): GuardOutcome<P> {
    return { ok: false, denial: verifyDenial(failure, { ...denialContext, action }) };
  }

  const actions = catalogActions(verifier);
  return { authenticate, assertRoute: (route) => assertRouteAgainst(actions, route), realm };
}
