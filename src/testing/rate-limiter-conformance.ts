import { assertConformanceRunner } from './conformance-runner.js';
import { describeRateLimiterAtomicity } from './rate-limiter-atomicity.js';
import { describeRateLimiterBuckets } from './rate-limiter-buckets.js';
import { type RateLimiterConformanceOptions, rateLimiterContext } from './rate-limiter-context.js';

/**
 * Registers the rate-limiter conformance suite for one `RateLimiter` with your test runner: the
 * token-bucket arithmetic (a fresh bucket is full, continuous refill over the caller's `now`,
 * `remaining`, `resetMs` and `retryAfterMs` to the millisecond), costs above 1 and above the
 * limit, changed limits, a clock going backwards, distinct bucket ids, all-or-nothing takes over
 * several buckets, and 50 concurrent takes that never allow more than a bucket holds. A limiter
 * is done when it passes unchanged.
 *
 * Runs under any runner whose functions you pass as `runner` (see {@link ConformanceRunner}), and
 * asserts with its own helpers. `createLimiter` runs once before the first test, `reset` before
 * each test, the limiter's `close()` after the last. Every test uses bucket ids of its own, so
 * `reset` is optional; windows are 40 s or more of the caller's clock, so a store that expires
 * idle buckets by its own clock after a window drops none while a test runs.
 *
 * Throws a `TypeError` at once when `runner` lacks one of its functions.
 *
 * @example
 * ```ts
 * // test/conformance/my-limiter.test.ts
 * import { runRateLimiterConformance } from 'keyward/testing';
 * import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
 *
 * runRateLimiterConformance({
 *   name: 'my-limiter',
 *   runner: { describe, it, beforeAll, afterAll, beforeEach },
 *   createLimiter: () => myRateLimiter(store),
 * });
 * ```
 */
export function runRateLimiterConformance(options: RateLimiterConformanceOptions): void {
  assertConformanceRunner(options.runner, 'runRateLimiterConformance');
  options.runner.describe(`rate limiter conformance: ${options.name}`, () => {
    const context = rateLimiterContext(options);
    describeRateLimiterBuckets(context);
    describeRateLimiterAtomicity(context);
  });
}
