import {
  ADMITTED_FREE,
  FailureThrottle,
  THROTTLED_FAILURES,
  type ThrottleAdmission,
} from '../request-controls/failure-throttle.js';
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

/**
 * Whether `request`'s address may verify now under `throttle` (see `FailureThrottle.admit`):
 * without a throttle, or while no address has failed yet, admitted without reading the address
 * or the clock: the request path of valid keys pays nothing for the throttle.
 *
 * @internal
 */
export function throttleAdmit(
  throttle: FailureThrottle | undefined,
  request: { readonly ip?: string | undefined },
): ThrottleAdmission {
  return throttle === undefined || throttle.size === 0
    ? ADMITTED_FREE
    : throttle.admit(request.ip, Date.now());
}

/**
 * After a verification `throttleAdmit` let through: spends `request`'s address budget when
 * `result` is a failure a scanner of key ids produces (malformed token, unknown key, wrong
 * secret), and gives back a failure taken in advance otherwise.
 *
 * @internal
 */
export function settleThrottle(
  throttle: FailureThrottle | undefined,
  admission: ThrottleAdmission,
  result: { readonly ok: boolean },
  request: { readonly ip?: string | undefined },
): void {
  if (throttle === undefined) return;
  const failed = !result.ok && THROTTLED_FAILURES.has((result as unknown as VerifyFailureFacts).code);
  throttle.settle(admission, failed, request, Date.now());
}

/** The refusal of an address whose budget is spent, `wait` ms before it may try again. @internal */
export function tooManyFailures(wait: number): VerifyFailureFacts & { readonly ok: false } {
  return { ok: false, code: 'too_many_failures', retryAfterMs: wait };
}

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
    const admission = throttleAdmit(throttle, request);
    if (admission.wait > 0) return tooManyFailures(admission.wait);
    const result = await verify(token, request);
    settleThrottle(throttle, admission, result, request);
    return result;
  };
}
