import type { VerifyFailureCode } from '../verify/verify-result.js';
import type { CredentialFailureReason } from './credential-extraction.js';

/**
 * How a family of outcomes is answered over HTTP:
 *
 * - `unauthenticated` 401: no API key at all. `WWW-Authenticate: Bearer realm="..."` without an
 *   error code (RFC 6750 §3.1); the body is the same as `invalid_token`'s.
 * - `invalid_token` 401: the key is unknown, wrong, malformed, revoked, disabled, expired, not yet
 *   valid, or its account / creator is inactive. One identical answer for all of them, so a caller
 *   cannot tell a revoked key from a typo; `VerifyResult.code` keeps the detail for the host.
 * - `wrong_environment` 401: a valid, usable key of an environment the route does not accept
 *   (a test key on a live-only route). Its own body code, `environment_not_accepted`: only a
 *   holder of a working secret ever sees it, and the token's prefix already says its environment.
 * - `invalid_request` 400: the request carries credentials in a way RFC 6750 refuses.
 * - `forbidden` 403: a valid key the policy denies; the body names the reason code.
 * - `not_found` 404: an object of another tenant (or one that does not exist: same answer),
 *   only ever to a verified key: a bad credential is 401 whatever the URL.
 * - `bad_resource` 400: the resource the route built is malformed (policy `invalid_request`).
 * - `rate_limited` 429 with `Retry-After`: a rate limit (`rate_limited`), the key's usage credits
 *   (`usage_exceeded`), or the client address's budget of failed verifications
 *   (`too_many_failures`); the body names which.
 * - `unavailable` 503: storage could not be reached.
 * - `internal` 500: the evaluation failed (denied, fail closed).
 */
export type HttpOutcomeFamily =
  | 'unauthenticated'
  | 'invalid_token'
  | 'wrong_environment'
  | 'invalid_request'
  | 'forbidden'
  | 'not_found'
  | 'bad_resource'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

/** Status code of each family. */
export const FAMILY_STATUS: Readonly<Record<HttpOutcomeFamily, number>> = Object.freeze({
  unauthenticated: 401,
  invalid_token: 401,
  wrong_environment: 401,
  invalid_request: 400,
  forbidden: 403,
  not_found: 404,
  bad_resource: 400,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
});

/**
 * Every request-path outcome code the HTTP layer answers: credential-extraction reasons,
 * `VerifyResult` failure codes (which hold every denying policy reason), and the middleware's
 * own `missing_credentials` and `rate_limited`. {@link HTTP_OUTCOME_TABLE} maps each one: a code
 * added here without a family does not compile.
 */
export type HttpOutcomeCode =
  | 'missing_credentials'
  | 'rate_limited'
  | CredentialFailureReason
  | VerifyFailureCode;

/**
 * The one table from every request-path outcome code to its HTTP family (and so its status):
 * credential-extraction reasons, `VerifyResult` failure codes (`resource_not_found` when the
 * route's resolver found nothing for a verified key), policy decision reasons, and the
 * middleware's own `missing_credentials` and `rate_limited`. A code absent
 * from the table (a reason added later, a host rule) is answered as `forbidden`: fail closed.
 *
 * @example
 * ```ts
 * HTTP_OUTCOME_TABLE.key_revoked; // 'invalid_token' -> 401
 * FAMILY_STATUS[HTTP_OUTCOME_TABLE.read_only]; // 403
 * ```
 */
export const HTTP_OUTCOME_TABLE: Readonly<Record<HttpOutcomeCode, HttpOutcomeFamily>> = Object.freeze({
  missing_credentials: 'unauthenticated',

  multiple_credentials: 'invalid_request',
  duplicate_header: 'invalid_request',
  credential_in_query: 'invalid_request',
  header_too_large: 'invalid_request',
  malformed_authorization: 'invalid_request',
  malformed_api_key: 'invalid_request',

  malformed_token: 'invalid_token',
  key_not_found: 'invalid_token',
  invalid_secret: 'invalid_token',
  key_revoked: 'invalid_token',
  key_disabled: 'invalid_token',
  key_expired: 'invalid_token',
  key_not_yet_valid: 'invalid_token',
  account_disabled: 'invalid_token',
  account_deleted: 'invalid_token',
  creator_inactive: 'invalid_token',

  environment_not_accepted: 'wrong_environment',

  cross_tenant: 'not_found',
  resource_not_found: 'not_found',

  outside_workspace_binding: 'forbidden',
  dataset_scoped_account: 'forbidden',
  dataset_not_granted: 'forbidden',
  read_only: 'forbidden',
  forbidden_by_rule: 'forbidden',
  not_granted: 'forbidden',
  exceeds_creator_rights: 'forbidden',
  ip_not_allowed: 'forbidden',

  invalid_request: 'bad_resource',
  rate_limited: 'rate_limited',
  usage_exceeded: 'rate_limited',
  too_many_failures: 'rate_limited',
  storage_unavailable: 'unavailable',
  evaluation_error: 'internal',
});

/**
 * The family of an outcome code; unknown codes are `forbidden` (fail closed).
 *
 * @example
 * ```ts
 * outcomeFamily('key_expired'); // 'invalid_token'
 * ```
 */
export function outcomeFamily(code: string): HttpOutcomeFamily {
  return Object.hasOwn(HTTP_OUTCOME_TABLE, code) ? HTTP_OUTCOME_TABLE[code as HttpOutcomeCode] : 'forbidden';
}

/**
 * The HTTP status of an outcome code.
 *
 * @example
 * ```ts
 * httpStatusFor('dataset_scoped_account'); // 403
 * httpStatusFor('invalid_secret'); // 401
 * ```
 */
export function httpStatusFor(code: string): number {
  return FAMILY_STATUS[outcomeFamily(code)];
}
