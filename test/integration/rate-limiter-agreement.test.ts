import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { redisRateLimiter } from '../../adapters/redis/index.js';
import { memoryRateLimiter } from '../../src/request-controls/memory-rate-limiter.js';
import type { RateLimitCheck, RateLimiter } from '../../src/request-controls/rate-limiter.js';

const redisUrl = inject('redisUrl');
const T0 = 1_741_964_966_535;

/** A take: its checks (buckets by index into a small pool, named twice at times) and the clock's move. */
const takeArbitrary = fc.record({
  checks: fc.array(
    fc.record({
      bucket: fc.integer({ min: 0, max: 2 }),
      limit: fc.constantFrom(1, 3, 7, 10, 1_000, 1_000_000),
      // At least a minute: Redis expires idle buckets by its own clock, a window after their take.
      windowMs: fc.constantFrom(60_000, 3_600_000, 86_400_000),
      cost: fc.constantFrom(1, 1, 1, 2, 5, 11),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  // Mostly forward, sometimes back (clock skew between instances).
  stepMs: fc.integer({ min: -5_000, max: 90_000 }),
});

// The Lua script repeats the TypeScript arithmetic: the two must answer every take alike.
describe.runIf(redisUrl !== null)('the Redis and memory limiters', () => {
  let client: Redis;
  beforeAll(() => {
    client = new Redis(redisUrl as string);
  });
  afterAll(async () => {
    await client.quit();
  });

  it('give the same outcome, to the millisecond, for any sequence of takes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(takeArbitrary, { minLength: 1, maxLength: 25 }), async (takes) => {
        const run = randomUUID();
        const limiters: RateLimiter[] = [memoryRateLimiter(), redisRateLimiter({ client })];
        let now = T0;
        for (const take of takes) {
          now += take.stepMs;
          const checks: RateLimitCheck[] = take.checks.map((check) => ({
            ...check,
            bucket: `${run}:${check.bucket}`,
          }));
          const [expected, actual] = await Promise.all(limiters.map((limiter) => limiter.take(checks, now)));
          expect(actual).toEqual(expected);
        }
      }),
      { numRuns: 150 },
    );
  });
});
