import { describe, expect, it } from 'vitest';
import { memoryRateLimiter } from '../../../src/request-controls/memory-rate-limiter.js';
import type { RateLimitCheck, RateLimiter } from '../../../src/request-controls/rate-limiter.js';

const T0 = 1_741_964_966_535;
const WINDOW = 60_000;

function check(bucket: string, limit = 1, windowMs = WINDOW, cost = 1): RateLimitCheck {
  return { bucket, limit, windowMs, cost };
}

async function allowed(limiter: RateLimiter, one: RateLimitCheck, now = T0): Promise<boolean> {
  return (await limiter.take([one], now)).allowed;
}

describe('memoryRateLimiter eviction', () => {
  it('evicts a bucket that is full again before the least recently used one', async () => {
    const limiter = memoryRateLimiter({ maxBuckets: 3 });
    expect(await allowed(limiter, check('old'))).toBe(true); // least recently used, not full for 60 s
    expect(await allowed(limiter, check('quick', 1, 1_000))).toBe(true); // full again at T0 + 1 s
    expect(await allowed(limiter, check('recent'))).toBe(true);
    expect(await allowed(limiter, check('new'), T0 + 2_000)).toBe(true); // a fourth bucket
    // `quick` went (nothing lost): `old` and `recent` still hold their usage.
    expect(await allowed(limiter, check('old'), T0 + 2_000)).toBe(false);
    expect(await allowed(limiter, check('recent'), T0 + 2_000)).toBe(false);
    expect(await allowed(limiter, check('new'), T0 + 2_000)).toBe(false);
  });

  it('evicts the least recently used bucket when none is full, forgiving its usage', async () => {
    const limiter = memoryRateLimiter({ maxBuckets: 2 });
    expect(await allowed(limiter, check('a'))).toBe(true);
    expect(await allowed(limiter, check('b'))).toBe(true);
    expect(await allowed(limiter, check('c'))).toBe(true); // evicts `a`
    expect(await allowed(limiter, check('b'))).toBe(false); // kept
    expect(await allowed(limiter, check('a'))).toBe(true); // forgiven: evicted while empty
  });

  it('counts a refused take as a use', async () => {
    const limiter = memoryRateLimiter({ maxBuckets: 2 });
    expect(await allowed(limiter, check('a'))).toBe(true);
    expect(await allowed(limiter, check('b'))).toBe(true);
    expect(await allowed(limiter, check('a'))).toBe(false); // `a` is now the most recently used
    expect(await allowed(limiter, check('c'))).toBe(true); // evicts `b`
    expect(await allowed(limiter, check('a'))).toBe(false);
    expect(await allowed(limiter, check('b'))).toBe(true);
  });

  it('keeps at most maxBuckets buckets: the one past it evicts the least recently used', async () => {
    const limiter = memoryRateLimiter({ maxBuckets: 100 });
    for (let index = 0; index <= 100; index++) expect(await allowed(limiter, check(`b${index}`))).toBe(true);
    for (let index = 100; index >= 1; index--) expect(await allowed(limiter, check(`b${index}`))).toBe(false);
    expect(await allowed(limiter, check('b0'))).toBe(true);
  });

  it('drops full buckets before a busy one through a burst of new buckets', async () => {
    const limiter = memoryRateLimiter({ maxBuckets: 8 }); // a sweep at most once per new bucket
    expect(await allowed(limiter, check('busy'))).toBe(true);
    for (let index = 0; index < 7; index++)
      expect(await allowed(limiter, check(`idle${index}`, 1, 10))).toBe(true);
    for (let index = 0; index < 7; index++)
      expect(await allowed(limiter, check(`new${index}`), T0 + 10)).toBe(true);
    expect(await allowed(limiter, check('busy'), T0 + 10)).toBe(false);
  });

  it('refuses a maxBuckets that is not a positive integer when built', () => {
    for (const maxBuckets of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => memoryRateLimiter({ maxBuckets })).toThrow(TypeError);
    }
    expect(memoryRateLimiter().name).toBe('memory');
  });
});

describe('memoryRateLimiter takes', () => {
  it('takes a bucket named twice in one take twice, or neither time', async () => {
    const limiter = memoryRateLimiter();
    const refused = await limiter.take([check('twice', 1), check('twice', 1)], T0);
    expect(refused).toMatchObject({ allowed: false, refusedBy: 1, retryAfterMs: WINDOW });
    const passed = await limiter.take([check('twice', 2), check('twice', 2)], T0);
    expect(passed.states.map((state) => state.remaining)).toEqual([1, 0]);
    expect(await allowed(limiter, check('twice', 2))).toBe(false);
  });

  it('takes synchronously: its promise settles at the next microtask', async () => {
    const limiter = memoryRateLimiter();
    const order: string[] = [];
    const first = limiter.take([check('order')], T0).then(() => order.push('first'));
    await Promise.resolve();
    order.push('after one microtask');
    await first;
    expect(order).toEqual(['first', 'after one microtask']);
  });
});
