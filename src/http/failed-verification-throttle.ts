import { FailureThrottle } from '../request-controls/failure-throttle.js';
import type { VerifyFailureFacts } from './verify-denial.js';

/** A budget of failed verifications per client address: `limit` failures per `windowMs`. */
export interface FailedVerificationThrottleOptions {
  /** Failures allowed per window, 1 to 1,000,000. */
  readonly limit: number;
  /** The window in ms, 1 s to 1 day. */
  readonly windowMs: number;
  /** Most client addresses remembered (default 100,000): memory stays bounded under a scan from many addresses. */
  readonly maxAddresses?: number | undefined;
}

/** The default budget of the HTTP surfaces: 100 failed verifications per address per minute. */
export const DEFAULT_FAILED_VERIFICATION_THROTTLE: FailedVerificationThrottleOptions = Object.freeze({
  limit: 100,
  windowMs: 60_000,
});

/** Failures a scanner of key ids produces: what the throttle counts. */
const COUNTED: ReadonlySet<string> = new Set(['malformed_token', 'key_not_found', 'invalid_secret']);

/** The throttle an HTTP surface's option asks for: the default when absent, none for `false`. Throws `TypeError` on a bad option. @internal */
export function failureThrottleOf(
  option: FailedVerificationThrottleOptions | false | undefined,
): FailureThrottle | undefined {
  if (option === false) return undefined;
  const { limit, windowMs, maxAddresses = 100_000 } = option ?? DEFAULT_FAILED_VERIFICATION_THROTTLE;
  const within = (value: unknown, min: number, max: number) =>
    Number.isInteger(value) && (value as number) >= min && (value as number) <= max;
  if (
    !within(limit, 1, 1_000_000) ||
    !within(windowMs, 1000, 86_400_000) ||
    !within(maxAddresses, 1, 10_000_000)
  ) {
    throw new TypeError(
      'keyward: failedVerificationThrottle must be false or { limit: 1-1000000, windowMs: 1000-86400000, maxAddresses?: 1-10000000 }',
    );
  }
  return new FailureThrottle({ limit, windowMs, maxAddresses });
}

/** A verify function as the HTTP surfaces call it. @internal */
export type HttpVerify<R> = (token: string, request: { readonly ip?: string | undefined }) => Promise<R>;

/**
 * `verify` behind a throttle: an address whose budget of failed verifications is spent is refused
 * `too_many_failures` before `verify` runs (no storage read); malformed tokens, unknown keys and
 * wrong secrets spend the budget.
 *
 * @internal
 */
export function throttledVerify<
  R extends { readonly ok: boolean },
  Q extends { readonly ip?: string | undefined },
>(
  verify: (token: string, request: Q) => Promise<R>,
  throttle: FailureThrottle | undefined,
): (token: string, request: Q) => Promise<R | (VerifyFailureFacts & { readonly ok: false })> {
  if (throttle === undefined) return verify;
  return async (token, request) => {
    const wait = throttle.retryAfterMs(request.ip, Date.now());
    if (wait > 0) return { ok: false, code: 'too_many_failures', retryAfterMs: wait };
    const result = await verify(token, request);
    if (!result.ok && COUNTED.has((result as unknown as VerifyFailureFacts).code))
      throttle.failed(request.ip, Date.now());
    return result;
  };
}
