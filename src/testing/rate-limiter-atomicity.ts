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

/** How many takes the concurrency tests start at once. */
const RACERS = 50;

/**
 * Takes over several buckets are all-or-nothing, and concurrent takes never allow more than a
 * bucket holds.
 *
 * @internal
 */
export function describeRateLimiterAtomicity({ limiter, bucketId, describe, it }: RateLimiterContext): void {
  function take(checks: readonly RateLimitCheck[], now: number): Promise<RateLimitOutcome> {
    return limiter().take(checks, now);
  }

  async function drain(bucket: string, limit: number): Promise<void> {
    assertEqual((await take([check(bucket, limit, limit)], T0)).allowed, true, `draining ${bucket}`);
  }

  describe('rate limiter atomicity', () => {
    it('takes each bucket its own cost when every bucket of a take holds enough', async () => {
      const [a, b] = [bucketId('a'), bucketId('b')];
      assertDeepEqual(
        await take([check(a, 10, 3), check(b, 4)], T0),
        allowed(state(a, 10, 7, 18_000), state(b, 4, 3, 15_000)),
      );
    });

    it('refuses a take when one bucket lacks tokens, and then takes from none of them', async () => {
      const [wide, narrow] = [bucketId('wide'), bucketId('narrow')];
      await drain(narrow, 2);
      assertDeepEqual(
        await take([check(wide, 5), check(narrow, 2)], T0),
        refused(1, 30_000, state(wide, 5, 5, 0), state(narrow, 2, 0, 60_000)),
      );
      // The refused take left all five tokens of `wide`.
      assertDeepEqual(await take([check(wide, 5, 5)], T0), allowed(state(wide, 5, 0, 60_000)));
    });

    it('names the first refusing check and answers the wait of the slowest one', async () => {
      const [full, fast, slow] = [bucketId('full'), bucketId('fast'), bucketId('slow')];
      await drain(fast, 6);
      await drain(slow, 2);
      // `fast` gets a token in 10 s, `slow` in 30 s.
      assertDeepEqual(
        await take([check(full, 10), check(fast, 6), check(slow, 2)], T0),
        refused(1, 30_000, state(full, 10, 10, 0), state(fast, 6, 0, 60_000), state(slow, 2, 0, 60_000)),
      );
      assertDeepEqual(await take([check(full, 10, 10)], T0), allowed(state(full, 10, 0, 60_000)));
    });

    it(`allows exactly the limit of ${RACERS} concurrent takes on one bucket`, async () => {
      const bucket = bucketId('race');
      const outcomes = await Promise.all(Array.from({ length: RACERS }, () => take([check(bucket, 20)], T0)));
      const passed = outcomes.filter((outcome) => outcome.allowed);
      assertEqual(passed.length, 20, 'allowed takes');
      // Each allowed take saw the bucket as the one before left it: remaining 19, 18, ... 0.
      const remaining = passed
        .map((outcome) => outcome.states[0]?.remaining)
        .sort((x, y) => (x ?? 0) - (y ?? 0));
      assertDeepEqual(
        remaining,
        Array.from({ length: 20 }, (_, index) => index),
        'remaining of the allowed takes',
      );
      for (const outcome of outcomes.filter((each) => !each.allowed)) {
        assertDeepEqual(outcome, refused(0, 3_000, state(bucket, 20, 0, 60_000)), 'a refused take');
      }
      assertEqual((await take([check(bucket, 20)], T0)).allowed, false, 'a later take');
    });

    it(`allows as many of ${RACERS} concurrent two-bucket takes as the smaller limit, in either order`, async () => {
      const [wide, narrow] = [bucketId('wide'), bucketId('narrow')];
      const outcomes = await Promise.all(
        Array.from({ length: RACERS }, (_, index) =>
          take(
            index % 2 === 0 ? [check(wide, 30), check(narrow, 20)] : [check(narrow, 20), check(wide, 30)],
            T0,
          ),
        ),
      );
      assertEqual(outcomes.filter((outcome) => outcome.allowed).length, 20, 'allowed takes');
      outcomes.forEach((outcome, index) => {
        if (!outcome.allowed)
          assertEqual(outcome.refusedBy, index % 2 === 0 ? 1 : 0, `take ${index} refused by`);
      });
      // Both buckets gave exactly 20: `wide` holds 10 and `narrow` none.
      assertDeepEqual(await take([check(narrow, 20)], T0), refused(0, 3_000, state(narrow, 20, 0, 60_000)));
      assertDeepEqual(await take([check(wide, 30, 10)], T0), allowed(state(wide, 30, 0, 60_000)));
      assertEqual((await take([check(wide, 30)], T0)).allowed, false, 'wide, emptied');
    });
  });
}
