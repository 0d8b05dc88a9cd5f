import type { RateLimitCheck, RateLimitOutcome } from '../request-controls/rate-limiter.js';
import { assertDeepEqual, assertEqual } from './assertions.js';
import {
  allowed,
  check,
  RATE_LIMIT_T0,
  type RateLimiterContext,
  refused,
  state,
} from './rate-limiter-context.js';

const T0 = RATE_LIMIT_T0;

/**
 * One bucket at a time: capacity, refill over the caller's clock, the reported numbers, costs,
 * changed limits and a clock going backwards.
 *
 * @internal
 */
export function describeRateLimiterBuckets({ limiter, bucketId, describe, it }: RateLimiterContext): void {
  function take(checks: readonly RateLimitCheck[], now: number): Promise<RateLimitOutcome> {
    return limiter().take(checks, now);
  }

  /** Takes `count` single tokens from `bucket` at `now`, each of which must pass. */
  async function drain(bucket: string, limit: number, count: number, now: number): Promise<void> {
    for (let index = 0; index < count; index++) {
      assertEqual((await take([check(bucket, limit)], now)).allowed, true, `take ${index + 1} of ${count}`);
    }
  }

  describe('rate limiter buckets', () => {
    it('finds a bucket never seen full, and reports it in the order of the checks', async () => {
      const [a, b] = [bucketId('a'), bucketId('b')];
      assertDeepEqual(await take([check(a, 10)], T0), allowed(state(a, 10, 9, 6_000)));
      assertDeepEqual(
        await take([check(b, 4, 1, 40_000), check(a, 10)], T0),
        allowed(state(b, 4, 3, 10_000, 40_000), state(a, 10, 8, 12_000)),
      );
    });

    it('allows exactly limit takes at one instant, then refuses with the wait for one token', async () => {
      const bucket = bucketId('burst');
      for (let remaining = 4; remaining >= 0; remaining--) {
        const resetMs = (5 - remaining) * 12_000;
        assertDeepEqual(await take([check(bucket, 5)], T0), allowed(state(bucket, 5, remaining, resetMs)));
      }
      assertDeepEqual(await take([check(bucket, 5)], T0), refused(0, 12_000, state(bucket, 5, 0, 60_000)));
      assertDeepEqual(await take([check(bucket, 5)], T0), refused(0, 12_000, state(bucket, 5, 0, 60_000)));
    });

    it('refills continuously at limit tokens per window of the caller clock, never past the limit', async () => {
      const bucket = bucketId('refill');
      await drain(bucket, 10, 10, T0);
      // 10 tokens per 60 s: one every 6 s.
      assertDeepEqual(
        await take([check(bucket, 10)], T0 + 3_000),
        refused(0, 3_000, state(bucket, 10, 0, 57_000)),
      );
      assertDeepEqual(await take([check(bucket, 10)], T0 + 6_000), allowed(state(bucket, 10, 0, 60_000)));
      assertDeepEqual(
        await take([check(bucket, 10)], T0 + 6_000),
        refused(0, 6_000, state(bucket, 10, 0, 60_000)),
      );
      assertDeepEqual(await take([check(bucket, 10)], T0 + 21_000), allowed(state(bucket, 10, 1, 51_000)));
      // Idle ten windows: full, not more than full.
      assertDeepEqual(await take([check(bucket, 10)], T0 + 621_000), allowed(state(bucket, 10, 9, 6_000)));
    });

    it('reports whole remaining tokens (rounded down) and the ms until full (rounded up)', async () => {
      const bucket = bucketId('numbers');
      // 4 tokens per 40 s: one every 10 s.
      assertDeepEqual(
        await take([check(bucket, 4, 1, 40_000)], T0),
        allowed(state(bucket, 4, 3, 10_000, 40_000)),
      );
      // 3 + 0.25 refilled - 1 = 2.25 tokens: 2 whole ones, 1.75 tokens (17.5 s) from full.
      assertDeepEqual(
        await take([check(bucket, 4, 1, 40_000)], T0 + 2_500),
        allowed(state(bucket, 4, 2, 17_500, 40_000)),
      );
      // 3 tokens per 40 s: 1 token is 13,333.3 ms, rounded up.
      const thirds = bucketId('thirds');
      assertDeepEqual(
        await take([check(thirds, 3, 1, 40_000)], T0),
        allowed(state(thirds, 3, 2, 13_334, 40_000)),
      );
      // 2 + 0.075 refilled - 1 = 1.075 tokens: 1 whole one, 1.925 tokens (25,666.7 ms) from full.
      assertDeepEqual(
        await take([check(thirds, 3, 1, 40_000)], T0 + 1_000),
        allowed(state(thirds, 3, 1, 25_667, 40_000)),
      );
    });

    it('takes a cost above 1 whole, and a refused cost takes nothing', async () => {
      const bucket = bucketId('cost');
      assertDeepEqual(await take([check(bucket, 10, 4)], T0), allowed(state(bucket, 10, 6, 24_000)));
      assertDeepEqual(await take([check(bucket, 10, 4)], T0), allowed(state(bucket, 10, 2, 48_000)));
      // 2 tokens held, 4 wanted: 2 tokens (12 s) to wait; remaining 0 as the request cannot pass.
      assertDeepEqual(
        await take([check(bucket, 10, 4)], T0),
        refused(0, 12_000, state(bucket, 10, 0, 48_000)),
      );
      assertDeepEqual(await take([check(bucket, 10, 2)], T0), allowed(state(bucket, 10, 0, 60_000)));
    });

    it('never lets a cost above the limit pass, answering the whole window, and takes nothing', async () => {
      const bucket = bucketId('over');
      assertDeepEqual(await take([check(bucket, 3, 4)], T0), refused(0, 60_000, state(bucket, 3, 0, 0)));
      assertDeepEqual(
        await take([check(bucket, 3, 4)], T0 + 600_000),
        refused(0, 60_000, state(bucket, 3, 0, 0)),
      );
      assertDeepEqual(await take([check(bucket, 3, 3)], T0), allowed(state(bucket, 3, 0, 60_000)));
    });

    it('caps a bucket at a lowered limit, and does not mint tokens when the limit is raised again', async () => {
      const bucket = bucketId('changed');
      assertDeepEqual(await take([check(bucket, 10)], T0), allowed(state(bucket, 10, 9, 6_000)));
      // 9 tokens held, capped at the new limit of 5.
      assertDeepEqual(await take([check(bucket, 5)], T0), allowed(state(bucket, 5, 4, 12_000)));
      // Back to 10: the 4 tokens left, not 9.
      assertDeepEqual(await take([check(bucket, 10)], T0), allowed(state(bucket, 10, 3, 42_000)));
    });

    it('refills nothing when the clock goes backwards, and mints nothing when it comes back', async () => {
      const bucket = bucketId('skew');
      const t1 = T0 + 120_000;
      assertDeepEqual(await take([check(bucket, 3)], t1), allowed(state(bucket, 3, 2, 20_000)));
      assertDeepEqual(await take([check(bucket, 3)], t1 - 30_000), allowed(state(bucket, 3, 1, 40_000)));
      assertDeepEqual(await take([check(bucket, 3)], t1), allowed(state(bucket, 3, 0, 60_000)));
      assertDeepEqual(
        await take([check(bucket, 3)], t1 - 60_000),
        refused(0, 20_000, state(bucket, 3, 0, 60_000)),
      );
      assertDeepEqual(await take([check(bucket, 3)], t1), refused(0, 20_000, state(bucket, 3, 0, 60_000)));
    });

    it('keeps buckets independent, with ids that differ only by odd characters told apart', async () => {
      const base = bucketId('');
      const suffixes = [
        'a',
        'A',
        'a:b',
        'a:b:c',
        'a::b',
        ':',
        '{a}',
        'a b',
        '%61',
        'é',
        'e\u0301',
        '𝔞',
        '键',
      ];
      const drained = `${base}a`;
      await drain(drained, 1, 1, T0);
      assertEqual((await take([check(drained, 1)], T0)).allowed, false, 'the drained bucket');
      for (const suffix of suffixes.slice(1)) {
        const bucket = `${base}${suffix}`;
        assertDeepEqual(await take([check(bucket, 1)], T0), allowed(state(bucket, 1, 0, 60_000)), bucket);
      }
      assertDeepEqual(await take([], T0), allowed(), 'a take of no checks');
    });
  });
}
