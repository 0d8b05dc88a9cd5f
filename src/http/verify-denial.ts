import type { RateLimitStatus } from '../verify/verify-result.js';
import { type DenialContext, type HttpDenial, httpDenial } from './http-denial.js';

/**
 * What a failed verification carries beyond its code, as `kw.verify` answers it: when to retry
 * (the 429s), whose IP allowlist refused (`ip_not_allowed`), and the rate limits' state.
 */
export interface VerifyFailureFacts {
  /** The failure code (`key_revoked`, `ip_not_allowed`, `rate_limited`, ...). */
  readonly code: string;
  /** Ms until the request would pass; `null` when waiting does not help. */
  readonly retryAfterMs?: number | null | undefined;
  /** For `ip_not_allowed`: the account's or the key's allowlist. */
  readonly layer?: 'account' | 'key' | undefined;
  /** The key's rate limits after the request. */
  readonly rateLimits?: readonly RateLimitStatus[] | undefined;
}

/**
 * The HTTP answer to a failed verification: {@link httpDenial} of its code, with `Retry-After`,
 * the allowlist layer and the `RateLimit` fields the failure carries.
 *
 * @example
 * ```ts
 * const result = await kw.verify(token, request);
 * if (!result.ok) send(verifyDenial(result, { realm: 'acme', action: request.action }));
 * ```
 */
export function verifyDenial(failure: VerifyFailureFacts, ctx: DenialContext): HttpDenial {
  const wait = failure.retryAfterMs;
  return httpDenial(failure.code, {
    ...ctx,
    retryAfterSeconds: wait === undefined ? ctx.retryAfterSeconds : wait === null ? null : wait / 1000,
    layer: failure.layer,
    rateLimits: failure.rateLimits,
  });
}
