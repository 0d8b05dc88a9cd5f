import type { RateLimitCheck, RateLimiter, RateLimitOutcome } from './rate-limiter.js';
import { refilledTokens, type TokenBucketState, takeTokens } from './token-bucket.js';

/** Options of {@link memoryRateLimiter}. */
export interface MemoryRateLimiterOptions {
  /**
   * The most buckets kept at once (default 100,000; a positive integer). Past it, a new bucket
   * first evicts buckets that are full again (the same as missing ones: nothing is lost), else the
   * least recently used one, which forgives what that bucket had used.
   */
  readonly maxBuckets?: number | undefined;
}

/** A stored bucket, with the limit and window of its last take (to tell when it is full again). */
interface MemoryBucket extends TokenBucketState {
  tokens: number;
  updatedAt: number;
  limit: number;
  windowMs: number;
}

const DEFAULT_MAX_BUCKETS = 100_000;

/** A sweep for full buckets runs at most once per this fraction of `maxBuckets` new buckets. */
const SWEEP_FRACTION = 8;

/**
 * A {@link RateLimiter} whose token buckets live in this process's memory (name `memory`): the
 * default limiter, right for one process. A fleet of instances needs a shared limiter
 * (`redisRateLimiter` from `keyward/redis`, or the SQL one), or each instance allows the limit
 * on its own.
 *
 * Memory is bounded by `maxBuckets`. When a new bucket would go past it, buckets that are full
 * again are dropped first (at no cost: a missing bucket is full); they are found by a sweep over
 * every bucket that runs at most once per `maxBuckets / 8` new buckets, so between sweeps, and
 * when every bucket is in use, the least recently used bucket (any take counts as a use) goes
 * instead. Evicting a bucket that is not full forgives its usage: its next take finds it full.
 * Keep `maxBuckets` above the number of buckets busy within one window to make that rare.
 *
 * Each take runs synchronously (no other take interleaves) and answers a resolved promise.
 * Throws a `TypeError` at once when `maxBuckets` is not a positive integer.
 *
 * @example
 * ```ts
 * const limiter = memoryRateLimiter({ maxBuckets: 10_000 });
 * const outcome = await limiter.take([{ bucket: 'k:key_1:default', limit: 100, windowMs: 60_000, cost: 1 }], Date.now());
 * ```
 */
export function memoryRateLimiter(options: MemoryRateLimiterOptions = {}): RateLimiter {
  const maxBuckets = options.maxBuckets ?? DEFAULT_MAX_BUCKETS;
  if (!Number.isSafeInteger(maxBuckets) || maxBuckets < 1) {
    throw new TypeError(
      `memoryRateLimiter: maxBuckets must be a positive integer, got ${String(maxBuckets)}`,
    );
  }
  const sweepEvery = Math.ceil(maxBuckets / SWEEP_FRACTION);
  /** Buckets in least recently used first order (a Map iterates in insertion order). */
  const buckets = new Map<string, MemoryBucket>();
  let newSinceSweep = sweepEvery;

  function dropFullBuckets(now: number): void {
    for (const [id, bucket] of buckets) {
      if (refilledTokens(bucket, bucket, now) >= bucket.limit) buckets.delete(id);
    }
  }

  function makeRoom(now: number): void {
    if (buckets.size < maxBuckets) return;
    if (newSinceSweep >= sweepEvery) {
      newSinceSweep = 0;
      dropFullBuckets(now);
    }
    for (const id of buckets.keys()) {
      if (buckets.size < maxBuckets) break;
      buckets.delete(id);
    }
  }

  /** Moves a bucket to the most recently used end. */
  function touch(id: string, bucket: MemoryBucket): void {
    buckets.delete(id);
    buckets.set(id, bucket);
  }

  function store(check: RateLimitCheck, next: TokenBucketState, now: number): void {
    const bucket = buckets.get(check.bucket);
    if (bucket !== undefined) {
      bucket.tokens = next.tokens;
      bucket.updatedAt = next.updatedAt;
      bucket.limit = check.limit;
      bucket.windowMs = check.windowMs;
      touch(check.bucket, bucket);
      return;
    }
    makeRoom(now);
    newSinceSweep++;
    buckets.set(check.bucket, {
      tokens: next.tokens,
      updatedAt: next.updatedAt,
      limit: check.limit,
      windowMs: check.windowMs,
    });
  }

  function take(checks: readonly RateLimitCheck[], now: number): RateLimitOutcome {
    const { outcome, next } = takeTokens(
      checks,
      (index) => buckets.get((checks[index] as RateLimitCheck).bucket),
      now,
    );
    checks.forEach((check, index) => {
      if (next !== null) {
        store(check, next[index] as TokenBucketState, now);
        return;
      }
      const bucket = buckets.get(check.bucket);
      if (bucket !== undefined) touch(check.bucket, bucket);
    });
    return outcome;
  }

  return {
    name: 'memory',
    take: (checks, now) => Promise.resolve(take(checks, now)),
  };
}
