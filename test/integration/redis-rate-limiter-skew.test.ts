import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { redisRateLimiter } from '../../adapters/redis/index.js';
import { memoryRateLimiter } from '../../src/request-controls/memory-rate-limiter.js';
import type { RateLimitCheck, RateLimiter } from '../../src/request-controls/rate-limiter.js';

const redisUrl = inject('redisUrl');

/**
 * The RateLimiter contract (src/request-controls/rate-limiter.ts) and docs/request-controls.md:
 * "Time is keyward's clock, not the store's ... a clock behind a bucket's last update refills
 * nothing, so skew never mints tokens." The Redis script stores `updatedAt` in the caller's clock
 * and expires the bucket on Redis's own clock: a bucket emptied by an instance whose clock runs
 * ahead must not be deleted (= full) before it has refilled by that clock, or an instance on time
 * would get a whole fresh bucket early. The expiry keeps a minute of grace for that.
 */
describe.runIf(redisUrl !== null)('redisRateLimiter under clock skew', () => {
  let client: Redis;
  beforeAll(() => {
    client = new Redis(redisUrl as string);
  });
  afterAll(async () => {
    await client.quit();
  });

  async function scenario(limiter: RateLimiter, bucket: string): Promise<boolean> {
    const check: RateLimitCheck = { bucket, limit: 1, windowMs: 1_000, cost: 1 };
    // Instance A, clock 5 s ahead, empties the bucket.
    const first = await limiter.take([check], Date.now() + 5_000);
    expect(first.allowed).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    // Instance B, clock on time, 1.3 s later: still before the bucket's last update.
    const second = await limiter.take([check], Date.now());
    return second.allowed;
  }

  it('a bucket emptied by an instance whose clock is ahead does not refill early (as memory)', async () => {
    const bucket = `skew:${randomUUID()}`;
    expect(await scenario(memoryRateLimiter(), bucket)).toBe(false);
    const redis = redisRateLimiter({ client, keyPrefix: `skew:${randomUUID()}:` });
    expect(await scenario(redis, bucket)).toBe(false);
  });
});
