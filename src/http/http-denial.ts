import type { RateLimitStatus } from '../verify/verify-result.js';
import { FAMILY_STATUS, type HttpOutcomeFamily, outcomeFamily } from './http-status-table.js';
import {
  PROBLEM_CONTENT_TYPE,
  type ProblemDetails,
  type ProblemOptions,
  type ProblemResponse,
  problemDetails,
} from './problem-details.js';
import { rateLimitHeaders } from './rate-limit-headers.js';
import { bearerChallenge } from './www-authenticate.js';

/**
 * A ready-to-send refusal: status, headers and an RFC 9457 body. `code` is the precise outcome
 * (`key_revoked`, `duplicate_header`, ...) for the host's logs and hooks; the body may say less
 * (every invalid key answers the same body) and never contains the token.
 */
export interface HttpDenial extends ProblemResponse {
  /** Lowercase header names: `content-type`, `cache-control`, and `www-authenticate` / `retry-after` where they apply. */
  headers: Record<string, string>;
  /** The precise outcome code. Not sent to the caller. */
  code: string;
}

/** What a denial is about, beyond its code. */
export interface DenialContext extends ProblemOptions {
  /** The `realm` of the Bearer challenge (validated with `validateRealm`). */
  realm: string;
  /** The permission the route requires: named in 403 bodies and `scope` of the challenge. */
  action?: string | undefined;
  /**
   * Seconds the caller should wait, for the 429s (rounded up; default 1); `null` for credits that
   * never refill (no `Retry-After` is sent then: waiting does not help).
   */
  retryAfterSeconds?: number | null | undefined;
  /** For `ip_not_allowed`: whose allowlist refused the address (the body's `layer`). */
  layer?: 'account' | 'key' | undefined;
  /** The key's rate limits after the request: sent as `RateLimit-Policy` and `RateLimit`. */
  rateLimits?: readonly RateLimitStatus[] | undefined;
}

/** The one body every 401 shares. */
const UNAUTHENTICATED_DETAIL =
  'A valid API key is required: send it as an Authorization Bearer token or in the x-api-key header.';

/** Detail of `environment_not_accepted`: the caller knows its key's environment from its prefix. */
const WRONG_ENVIRONMENT_DETAIL =
  'The API key belongs to an environment this endpoint does not accept (for example a test key on a live endpoint).';

/** Details of RFC 6750 `invalid_request` refusals, by extraction reason. */
const INVALID_REQUEST_DETAILS: Readonly<Record<string, string>> = {
  multiple_credentials: 'The request carries two different API keys; send exactly one.',
  duplicate_header: 'A credential header is repeated; send it exactly once.',
  credential_in_query: 'API keys are not accepted in the query string; send the key in a header.',
  header_too_large: 'The credential header is too long.',
  malformed_authorization:
    'The Authorization header must be the Bearer scheme followed by exactly one token.',
  malformed_api_key: 'The x-api-key header must hold exactly one token.',
};

/** Details of 403 refusals, by decision reason. */
const FORBIDDEN_DETAILS: Readonly<Record<string, string>> = {
  outside_workspace_binding: 'The API key is bound to another workspace.',
  dataset_scoped_account:
    'The service account is limited to selected datasets and cannot call workspace- or tenant-level endpoints.',
  dataset_not_granted: 'The service account has no access to this dataset.',
  read_only: 'The API key is read-only.',
  forbidden_by_rule: 'A rule of this service forbids the request.',
  not_granted: 'The API key is not granted the permission this request needs.',
  exceeds_creator_rights: 'The request exceeds the rights of the user who created the API key.',
  ip_not_allowed: 'The request comes from an address the IP allowlist does not include.',
};

/** Body details of the 429s, by code. */
const TOO_MANY_DETAILS: Readonly<Record<string, string>> = {
  rate_limited: 'Too many requests: retry after the delay given in Retry-After.',
  usage_exceeded: 'The API key has used all its credits.',
  too_many_failures:
    'Too many failed authentication attempts from this address: retry after the delay given in Retry-After.',
};

/** Body code and detail of the families whose body does not depend on the precise code. */
const FIXED_BODIES: Readonly<Partial<Record<HttpOutcomeFamily, readonly [string, string]>>> = {
  unauthenticated: ['unauthenticated', UNAUTHENTICATED_DETAIL],
  invalid_token: ['unauthenticated', UNAUTHENTICATED_DETAIL],
  wrong_environment: ['environment_not_accepted', WRONG_ENVIRONMENT_DETAIL],
  not_found: ['not_found', 'The resource does not exist.'],
  bad_resource: ['invalid_resource', 'The request names a malformed resource.'],
  unavailable: ['service_unavailable', 'The service is temporarily unavailable; retry later.'],
  internal: ['internal_error', 'The request could not be authorized.'],
};

/** Whole seconds to wait, at least 1 (RFC 9110 `delay-seconds`). */
function retryAfterValue(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds <= 1) return '1';
  return String(Math.ceil(seconds));
}

/** The challenge header of a family, if it has one. */
function challengeFor(family: HttpOutcomeFamily, code: string, ctx: DenialContext): string | undefined {
  switch (family) {
    case 'unauthenticated':
      return bearerChallenge(ctx.realm);
    case 'invalid_token':
      return bearerChallenge(ctx.realm, { error: 'invalid_token' });
    case 'wrong_environment':
      return bearerChallenge(ctx.realm, { error: 'invalid_token', description: WRONG_ENVIRONMENT_DETAIL });
    case 'invalid_request':
      return bearerChallenge(ctx.realm, {
        error: 'invalid_request',
        description: INVALID_REQUEST_DETAILS[code],
      });
    case 'forbidden':
      return bearerChallenge(ctx.realm, { error: 'insufficient_scope', scope: ctx.action });
    default:
      return undefined;
  }
}

/** Body of a family for `code`. */
function bodyFor(family: HttpOutcomeFamily, code: string, ctx: DenialContext): ProblemDetails {
  const status = FAMILY_STATUS[family];
  const fixed = FIXED_BODIES[family];
  if (fixed !== undefined) return problemDetails(status, fixed[0], fixed[1], {}, ctx);
  if (family === 'rate_limited') {
    const known = Object.hasOwn(TOO_MANY_DETAILS, code);
    return problemDetails(
      status,
      known ? code : 'rate_limited',
      TOO_MANY_DETAILS[known ? code : 'rate_limited'] as string,
      {},
      ctx,
    );
  }
  if (family === 'invalid_request') {
    return problemDetails(
      status,
      code,
      INVALID_REQUEST_DETAILS[code] ?? 'The request is malformed.',
      {},
      ctx,
    );
  }
  const detail = FORBIDDEN_DETAILS[code] ?? 'The API key is not allowed to perform this request.';
  const extra = code === 'ip_not_allowed' && ctx.layer !== undefined ? { layer: ctx.layer } : {};
  return problemDetails(status, code, detail, { required: ctx.action, ...extra }, ctx);
}

/**
 * The HTTP answer to a request-path outcome code (see `HTTP_OUTCOME_TABLE`): the status, an RFC
 * 9457 body, `WWW-Authenticate` for 400/401/403 (RFC 6750 §3), `Retry-After` for 429, the IETF
 * `RateLimit-Policy` / `RateLimit` fields when rate limits are given, and `Cache-Control: no-store`.
 *
 * @example
 * ```ts
 * const denial = httpDenial('key_revoked', { realm: 'acme' });
 * // { status: 401, headers: { 'www-authenticate': 'Bearer realm="acme", error="invalid_token"', ... },
 * //   body: { type: 'about:blank', title: 'Unauthorized', status: 401, code: 'unauthenticated', ... } }
 * ```
 */
export function httpDenial(code: string, ctx: DenialContext): HttpDenial {
  const family = outcomeFamily(code);
  const headers: Record<string, string> = {
    'content-type': PROBLEM_CONTENT_TYPE,
    'cache-control': 'no-store',
  };
  const challenge = challengeFor(family, code, ctx);
  if (challenge !== undefined) headers['www-authenticate'] = challenge;
  if (family === 'rate_limited' && ctx.retryAfterSeconds !== null)
    headers['retry-after'] = retryAfterValue(ctx.retryAfterSeconds);
  if (ctx.rateLimits !== undefined && ctx.rateLimits.length > 0)
    Object.assign(headers, rateLimitHeaders(ctx.rateLimits));
  return { status: FAMILY_STATUS[family], headers, body: bodyFor(family, code, ctx), code };
}
