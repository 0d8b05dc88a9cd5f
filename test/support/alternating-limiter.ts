import type { RateLimiter } from '../../src/request-controls/rate-limiter.js';

/**
 * One limiter over several instances sharing a store: each take goes to the next instance in
 * turn, so a suite run through it passes only when the instances agree on every bucket (what
 * one instance wrote, the next one reads). `close()` closes every instance, then `release`.
 */
export function alternatingLimiter(
  name: string,
  limiters: readonly RateLimiter[],
  release: () => Promise<void> = async () => {},
): RateLimiter {
  let turn = 0;
  return {
    name,
    take(checks, now) {
      const limiter = limiters[turn++ % limiters.length] as RateLimiter;
      return limiter.take(checks, now);
    },
    async close() {
      for (const limiter of limiters) await limiter.close?.();
      await release();
    },
  };
}
