import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, inject, it } from 'vitest';
import { redisRateLimiter } from '../../adapters/redis/index.js';
import type { RateLimiter } from '../../src/request-controls/rate-limiter.js';
import { runRateLimiterConformance } from '../../src/testing/index.js';

const redisUrl = inject('redisUrl');

// Skipped only when the global setup found neither REDIS_URL nor redis-server (it warns loudly
// then, and fails instead under KEYWARD_REQUIRE_REDIS=1, as CI sets). Bucket ids are fresh per
// test, so nothing is flushed: REDIS_URL may point at a shared server.
describe.runIf(redisUrl !== null)('Redis', () => {
  runRateLimiterConformance({
    name: 'redis',
    runner: { describe, it, beforeAll, afterAll, beforeEach },
    createLimiter(): RateLimiter {
      const client = new Redis(redisUrl as string);
      // The limiter never closes the host's client: the test does.
      return { ...redisRateLimiter({ client }), close: async () => void (await client.quit()) };
    },
  });
});
