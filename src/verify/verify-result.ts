import type { KeyEnvironment } from '../entities/api-key.js';
import type { AllowDecision, DenyDecision, DenyReason, Resource } from '../policy/index.js';
import type { VerifiedPrincipal } from './verified-principal.js';

/**
 * Why a verification failed before the policy could decide: the token was malformed, no key
 * has its id, the secret did not match (also when the token's prefix names another environment
 * than the key's), storage could not be read, or the key is valid and usable but of an
 * environment the request does not accept (`VerifyRequest.environments`).
 */
export type CredentialFailureCode =
  | 'malformed_token'
  | 'key_not_found'
  | 'invalid_secret'
  | 'storage_unavailable'
  | 'environment_not_accepted';

/**
 * Why a verification failed: a credential failure, the reason of the denying decision, or
 * `resource_not_found` when the request's {@link ResourceResolver} answered `null`.
 */
export type VerifyFailureCode =
  | CredentialFailureCode
  | 'resource_not_found'
  | DenyReason
  | ControlFailureCode;

/**
 * Why a request the policy allowed (or, for `too_many_failures`, a request from an address that
 * failed too often) was refused by a request control: the client address is outside an IP
 * allowlist, a rate limit is spent, the key's usage credits are spent, or the address spent its
 * budget of failed verifications (`config.failedVerificationThrottle`).
 */
export type ControlFailureCode = 'ip_not_allowed' | 'rate_limited' | 'usage_exceeded' | 'too_many_failures';

/**
 * A named rate limit after a verification took from it: what the IETF `RateLimit` and
 * `RateLimit-Policy` headers report.
 */
export interface RateLimitStatus {
  /** The limit's name (`default`, ...). */
  readonly name: string;
  /** Whose limit it is: the key's own (or a host default applied to the key), or its account's (all its keys together). */
  readonly scope: 'key' | 'account';
  /** Requests per window. */
  readonly limit: number;
  /** The window in ms. */
  readonly windowMs: number;
  /** Requests left now. */
  readonly remaining: number;
  /** Ms until the limit is whole again. */
  readonly resetMs: number;
}

/** A valid, usable key used from an address outside an IP allowlist: `layer` says whose list refused it. */
export interface VerifyIpRefusal {
  /** False: refused. */
  readonly ok: false;
  /** `ip_not_allowed`. */
  readonly code: 'ip_not_allowed';
  /** Whose allowlist refused the address: the account's, or the key's own (which narrows the account's). */
  readonly layer: 'account' | 'key';
  /** Absent: refused before the policy decided. */
  readonly decision?: undefined;
}

/**
 * A request refused because a budget is spent: a rate limit (`rate_limited`), the key's usage
 * credits (`usage_exceeded`), or the client address's budget of failed verifications
 * (`too_many_failures`, answered before any storage read).
 */
export interface VerifyLimitRefusal {
  /** False: refused. */
  readonly ok: false;
  /** Which budget. */
  readonly code: 'rate_limited' | 'usage_exceeded' | 'too_many_failures';
  /** Ms until the request would pass, or `null` when no refill is coming (credits without refill). */
  readonly retryAfterMs: number | null;
  /** For `rate_limited`: every limit of the key with its state. */
  readonly rateLimits?: readonly RateLimitStatus[] | undefined;
  /** Absent: not a policy decision. */
  readonly decision?: undefined;
}

/** A verification that passed: the verified principal and the allowing decision. */
export interface VerifySuccess {
  /** True: the key is valid and the policy allowed the request. */
  readonly ok: true;
  /** The verified key, plain and frozen. */
  readonly principal: VerifiedPrincipal;
  /** The allowing decision. */
  readonly decision: AllowDecision;
  /** The rate limits this request took from, with their state after it; absent when the key has none. */
  readonly rateLimits?: readonly RateLimitStatus[] | undefined;
  /** The key's usage credits left after this request; absent when the key's credits are unlimited. */
  readonly credits?: { readonly remaining: number } | undefined;
}

/**
 * A verification that failed before the policy decided (a credential failure, a resource the
 * resolver did not find, or an evaluation that threw): no decision.
 */
export interface VerifyCredentialFailure {
  /** False: refused. */
  readonly ok: false;
  /** Why. */
  readonly code: CredentialFailureCode | 'resource_not_found' | 'evaluation_error';
  /** Absent: the policy did not decide. */
  readonly decision?: undefined;
}

/** A verification the policy denied with the reason `C`: the decision says why. */
export interface VerifyPolicyDenial<C extends DenyReason = DenyReason> {
  /** False: refused. */
  readonly ok: false;
  /** The decision's reason. */
  readonly code: C;
  /** The denying decision (`decision.reason === code`). */
  readonly decision: DenyDecision<C>;
}

/** Any failed verification: `switch (result.code)` narrows it (and `decision`). */
export type VerifyFailure =
  | VerifyCredentialFailure
  | VerifyIpRefusal
  | VerifyLimitRefusal
  | { [C in DenyReason]: VerifyPolicyDenial<C> }[DenyReason];

/**
 * What `kw.verify` answers. Never an exception: a malformed token, an unknown key, a wrong secret
 * and a policy denial all come back as `{ ok: false, code }`. The detail in `code` is for the
 * host's logs and audit; callers should get one identical 401 for every credential failure.
 * `decision` is present exactly when the code comes from the policy (an `evaluation_error` may
 * come from either). The principal and the decision are deeply frozen, JSON-serialisable data
 * (shared between requests); the result object around them is the caller's own.
 *
 * @example
 * ```ts
 * const result = await kw.verify(token, { action: 'datasets:read', resource: { tenantId, workspaceId, datasetId } });
 * if (!result.ok) {
 *   switch (result.code) {
 *     case 'read_only': log(result.decision.determining); break;
 *     case 'key_not_found': log('unknown key'); break;
 *   }
 * }
 * ```
 */
export type VerifyResult = VerifySuccess | VerifyFailure;

/**
 * Finds what a request touches once its credential passed, for the key that presented it:
 * `null` when it does not exist (`verify` answers `resource_not_found`). Called at most once per
 * verification, and only after the token parsed, the key was found, its secret matched and the
 * key, its account and its creator chain were usable (layer 1): every credential failure is
 * answered before any host lookup. If it throws, `verify` answers `evaluation_error`.
 *
 * @example
 * ```ts
 * const resource: ResourceResolver = async (principal) => {
 *   const row = await db.datasets.find(req.params.id);
 *   return row === null ? null : { tenantId: row.tenantId, workspaceId: row.workspaceId, datasetId: row.id };
 * };
 * await kw.verify(token, { action: 'datasets:read', resource });
 * ```
 */
export type ResourceResolver = (principal: VerifiedPrincipal) => Resource | null | Promise<Resource | null>;

/**
 * A request to verify: the action and the resource it touches. `A` is the catalog's permission
 * names, so an action outside the catalog does not compile.
 */
export interface VerifyRequest<A extends string = string> {
  /** A permission of the catalog, e.g. `datasets:read`. */
  readonly action: A;
  /**
   * What the request touches, resolved by the host (never taken from the key), or a
   * {@link ResourceResolver} that finds it once the credential passed.
   */
  readonly resource: Resource | ResourceResolver;
  /**
   * The client address (IPv4 or IPv6 text; IPv4-mapped IPv6 counts as IPv4), as the framework
   * determined it under the host's proxy settings. Checked against IP allowlists (a key with an
   * allowlist is refused without it) and the failed-verification throttle.
   */
  readonly ip?: string | undefined;
  /** Usage credits this request spends from a key that has credits (default 1; 0 spends none). */
  readonly cost?: number | undefined;
  /** Evaluation time in epoch ms (default: the configured clock). */
  readonly now?: number | undefined;
  /** Ask the policy for a full trace of the decision. */
  readonly explain?: boolean | undefined;
  /**
   * The key environments this request accepts (default: `config.acceptEnvironments`, itself
   * both by default). A valid, usable key of another environment is refused with
   * `environment_not_accepted`, before the resource is resolved; a key that is not valid or
   * not usable (revoked, expired, ...) is refused as such first.
   *
   * @example
   * ```ts
   * await kw.verify(token, { action: 'datasets:read', resource, environments: ['live'] });
   * ```
   */
  readonly environments?: readonly KeyEnvironment[] | undefined;
}
