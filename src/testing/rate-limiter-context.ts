import type {
  RateLimitCheck,
  RateLimiter,
  RateLimitOutcome,
  RateLimitState,
} from '../request-controls/rate-limiter.js';
import type { ConformanceRunner } from './conformance-runner.js';
import { randomBase62 } from './fixture-ids.js';

/** Options of {@link runRateLimiterConformance}. */
export interface RateLimiterConformanceOptions {
  /** Names the suite in the test report, e.g. `memory` or `redis`. */
  name: string;
  /** The test runner's functions the suite registers with (see {@link ConformanceRunner}). */
  runner: ConformanceRunner;
  /**
   * Creates the limiter under test. Called once, before the first test; the limiter's `close()`
   * (when it has one) runs after the last test.
   */
  createLimiter: () => RateLimiter | Promise<RateLimiter>;
  /**
   * Called before each test, e.g. to empty the store. Optional: every test uses bucket ids of its
   * own, so tests do not depend on each other either way.
   */
  reset?: (() => Promise<void>) | undefined;
}

/**
 * Gives each test group of the rate-limiter suite the limiter under test and fresh bucket ids.
 *
 * @internal
 */
export interface RateLimiterContext {
  /** The limiter under test (available inside tests). */
  readonly limiter: () => RateLimiter;
  /** A bucket id no other test uses, ending with `name`. */
  readonly bucketId: (name: string) => string;
  /** The runner's `describe`. */
  readonly describe: ConformanceRunner['describe'];
  /** The runner's `it`. */
  readonly it: ConformanceRunner['it'];
}

/**
 * The instant the suite's virtual clock starts at (epoch ms; the limiters use the caller's time).
 *
 * @internal
 */
export const RATE_LIMIT_T0 = 1_741_964_966_535;

/**
 * A window long enough that a store expiring idle buckets by its own clock (Redis `PEXPIRE`)
 * never drops one while a test runs, and that divides evenly by the limits the suite uses.
 *
 * @internal
 */
export const SUITE_WINDOW_MS = 60_000;

/**
 * A check of `cost` (default 1) on `bucket`, over {@link SUITE_WINDOW_MS} unless given.
 *
 * @internal
 */
export function check(bucket: string, limit: number, cost = 1, windowMs = SUITE_WINDOW_MS): RateLimitCheck {
  return { bucket, limit, windowMs, cost };
}

/**
 * The state a limiter must report for `bucket`.
 *
 * @internal
 */
export function state(
  bucket: string,
  limit: number,
  remaining: number,
  resetMs: number,
  windowMs = SUITE_WINDOW_MS,
): RateLimitState {
  return { bucket, limit, windowMs, remaining, resetMs };
}

/**
 * The outcome of an allowed take with these states.
 *
 * @internal
 */
export function allowed(...states: RateLimitState[]): RateLimitOutcome {
  return { allowed: true, states };
}

/**
 * The outcome of a take refused by check `refusedBy`, with these states.
 *
 * @internal
 */
export function refused(
  refusedBy: number,
  retryAfterMs: number,
  ...states: RateLimitState[]
): RateLimitOutcome {
  return { allowed: false, states, refusedBy, retryAfterMs };
}

/**
 * Registers the create / reset / close hooks in the current `describe` block.
 *
 * @internal
 */
export function rateLimiterContext(options: RateLimiterConformanceOptions): RateLimiterContext {
  const { runner } = options;
  const run = randomBase62(10);
  let counter = 0;
  let current: RateLimiter | undefined;
  runner.beforeAll(async () => {
    current = await options.createLimiter();
  });
  runner.beforeEach(async () => {
    await options.reset?.();
  });
  runner.afterAll(async () => {
    const closing = current;
    current = undefined;
    await closing?.close?.();
  });
  return {
    limiter: () => {
      if (current === undefined) throw new Error(`${options.name}: createLimiter did not run`);
      return current;
    },
    bucketId: (name) => `conformance:${run}:${++counter}:${name}`,
    describe: (name, body) => runner.describe(name, body),
    it: (name, test) => runner.it(name, test),
  };
}
